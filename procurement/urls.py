from django.urls import path

from .views import dashboard, deadlines, deliverables, detail, intake, network, prints, signoffs, tasks, transitions

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("oversikt.xlsx", dashboard.dashboard_export, name="dashboard_export"),
    path("mine-oppgaver/", tasks.my_tasks, name="my_tasks"),
    path("meld-inn/", intake.report_need, name="report_need"),
    path("initiativ/<int:initiative_id>/", intake.initiative_detail, name="initiative_detail"),
    path("anskaffelser/<int:procurement_id>/", detail.procurement_detail, name="procurement_detail"),
    path("anskaffelser/<int:procurement_id>/historikk/", detail.procurement_history, name="procurement_history"),
    path("anskaffelser/<int:procurement_id>/inviter/", intake.invite, name="procurement_invite"),
    path(
        "anskaffelser/<int:procurement_id>/svar/<int:municipality_id>/",
        intake.answer_invitation,
        name="invitation_answer",
    ),
    path("anskaffelser/<int:procurement_id>/kostnadsfordeling/", intake.cost_shares, name="cost_shares"),
    path("anskaffelser/<int:procurement_id>/tilslutning/", network.network, name="procurement_network"),
    path("anskaffelser/<int:procurement_id>/tilslutning/runder/ny/", network.round_save, name="joining_round_add"),
    path("anskaffelser/<int:procurement_id>/tilslutning/runder/<int:round_id>/", network.round_save, name="joining_round_edit"),
    path("anskaffelser/<int:procurement_id>/tilslutning/runder/<int:round_id>/tilslutt/", network.joining_record, name="joining_record"),
    path("anskaffelser/<int:procurement_id>/arbeidspakker/ny/", network.package_save, name="work_package_add"),
    path("anskaffelser/<int:procurement_id>/arbeidspakker/<int:package_id>/", network.package_save, name="work_package_edit"),
    path("anskaffelser/<int:procurement_id>/arbeidspakker/<int:package_id>/ta/", network.package_take, name="work_package_take"),
    path("anskaffelser/<int:procurement_id>/arbeidspakker/<int:package_id>/lever/", network.package_deliver, name="work_package_deliver"),
    path(
        "anskaffelser/<int:procurement_id>/overgang/<str:transition>/",
        transitions.transition,
        name="procurement_transition",
    ),
    path(
        "anskaffelser/<int:procurement_id>/leveranser/<slug:code>/",
        deliverables.deliverable_add,
        name="deliverable_add",
    ),
    path(
        "anskaffelser/<int:procurement_id>/versjoner/<int:version_id>/last-ned/",
        deliverables.version_download,
        name="version_download",
    ),
    path(
        "anskaffelser/<int:procurement_id>/sjekkliste/<int:item_id>/",
        deliverables.checklist_toggle,
        name="checklist_toggle",
    ),
    path("anskaffelser/<int:procurement_id>/signer/<int:step_id>/", signoffs.sign, name="signoff_record"),
    path("anskaffelser/<int:procurement_id>/signaturprotokoll.pdf", prints.signoff_record_pdf, name="signoff_record_pdf"),
    path("anskaffelser/<int:procurement_id>/frister/", deadlines.add, name="deadline_add"),
    path(
        "anskaffelser/<int:procurement_id>/frister/<int:deadline_id>/ferdig/",
        deadlines.complete,
        name="deadline_complete",
    ),
    path(
        "anskaffelser/<int:procurement_id>/frister/<int:deadline_id>/slett/",
        deadlines.remove,
        name="deadline_remove",
    ),
]
