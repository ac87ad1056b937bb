from django.http import HttpResponse


def chain_list(request):
    return HttpResponse("")


def enterprise_list(request):
    return HttpResponse("")


def park_list(request):
    return HttpResponse("")
