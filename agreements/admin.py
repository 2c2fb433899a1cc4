from django.contrib import admin

from .models import Contract, DataProcessingAgreement, Distribution


@admin.register(DataProcessingAgreement)
class DataProcessingAgreementAdmin(admin.ModelAdmin):
    list_display = ("procurement", "processor_name", "revision", "health_data", "signed_copy_at")
    readonly_fields = [f.name for f in DataProcessingAgreement._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ("procurement", "contract_type", "supplier_name", "state", "signed_at")
    readonly_fields = [f.name for f in Contract._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Distribution)
class DistributionAdmin(admin.ModelAdmin):
    list_display = ("procurement", "at", "recipients")

    def has_add_permission(self, request):
        return False
