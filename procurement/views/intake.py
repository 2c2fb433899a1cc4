# placeholder until the owner writes this module


def report_need(request, *args, **kwargs):  # placeholder
    from django.http import HttpResponse
    return HttpResponse(status=501)


def initiative_detail(request, *args, **kwargs):  # placeholder
    from django.http import HttpResponse
    return HttpResponse(status=501)


def invite(request, *args, **kwargs):  # placeholder
    from django.http import HttpResponse
    return HttpResponse(status=501)


def answer_invitation(request, *args, **kwargs):  # placeholder
    from django.http import HttpResponse
    return HttpResponse(status=501)


def cost_shares(request, *args, **kwargs):  # placeholder
    from django.http import HttpResponse
    return HttpResponse(status=501)
