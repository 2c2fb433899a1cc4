# placeholder until the owner writes this module


def my_tasks(request, *args, **kwargs):  # placeholder
    from django.http import HttpResponse
    return HttpResponse(status=501)
