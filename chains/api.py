from rest_framework import viewsets


class ChainViewSet(viewsets.ViewSet):
    pass


class EnterpriseViewSet(viewsets.ViewSet):
    pass


class ParkViewSet(viewsets.ViewSet):
    pass


class ChainMasterViewSet(viewsets.ViewSet):
    pass
