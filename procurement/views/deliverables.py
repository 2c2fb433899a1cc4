# placeholder until the owner writes this module


def benefit_plan_download(request, *args, **kwargs):  # placeholder
    from django.http import HttpResponse
    return HttpResponse(status=501)


def deliverable_add(request, *args, **kwargs):  # placeholder
    from django.http import HttpResponse
    return HttpResponse(status=501)


def version_download(request, *args, **kwargs):  # placeholder
    from django.http import HttpResponse
    return HttpResponse(status=501)


def checklist_toggle(request, *args, **kwargs):  # placeholder
    from django.http import HttpResponse
    return HttpResponse(status=501)
