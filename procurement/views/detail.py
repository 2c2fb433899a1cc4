# placeholder until the owner writes this module


def procurement_detail(request, *args, **kwargs):  # placeholder
    from django.http import HttpResponse
    return HttpResponse(status=501)


def procurement_history(request, *args, **kwargs):  # placeholder
    from django.http import HttpResponse
    return HttpResponse(status=501)
