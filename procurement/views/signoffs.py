# placeholder until the owner writes this module


def sign(request, *args, **kwargs):  # placeholder
    from django.http import HttpResponse
    return HttpResponse(status=501)
