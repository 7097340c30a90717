from django.urls import path

from .views import applications, cases, discipline, imports, registry, reports

app_name = "bureau"

urlpatterns = [
    path("lawyers/", registry.lawyers, name="lawyers"),
    path("lawyers/<int:lawyer_id>/", registry.lawyer, name="lawyer"),
    path("lawyers/<int:lawyer_id>/photo/", registry.lawyer_photo, name="lawyer_photo"),
    path("lawyers/<int:lawyer_id>/photo.jpg", registry.lawyer_photo_file, name="lawyer_photo_file"),
    path("firms/", registry.firms, name="firms"),
    path("firms/<int:firm_id>/", registry.firm, name="firm"),
    path("imports/", imports.imports, name="imports"),
    path("imports/<int:import_id>/", imports.import_detail, name="import"),
    path("imports/<int:import_id>/confirm/", imports.import_confirm, name="import_confirm"),
    path("imports/template.xlsx", imports.import_template, name="import_template"),
    path("reports/", reports.reports, name="reports"),
    path("reports/new/", reports.report_form, name="report_new"),
    path("reports/<int:report_id>/", reports.report, name="report"),
    path("reports/<int:report_id>/<slug:step>/", reports.report_step, name="report_step"),
    path("report-sums/", reports.report_sums, name="report_sums"),
    path("cases/", cases.cases, name="cases"),
    path("cases/new/", cases.case_new, name="case_new"),
    path("cases/<int:case_id>/", cases.case, name="case"),
    path("cases/<int:case_id>/close/", cases.case_close, name="case_close"),
    path("cases/<int:case_id>/letters/", cases.letter_new, name="letter_new"),
    path("letters/<int:letter_id>.pdf", cases.letter_pdf, name="letter_pdf"),
    path("letters/<int:letter_id>/revoke/", cases.letter_revoke, name="letter_revoke"),
    path("complaints/", discipline.complaints, name="complaints"),
    path("complaints/new/", discipline.complaint_new, name="complaint_new"),
    path("complaints/<int:complaint_id>/", discipline.complaint, name="complaint"),
    path("complaints/<int:complaint_id>/<slug:action>/", discipline.complaint_action, name="complaint_action"),
    path("evidence/<int:evidence_id>/", discipline.evidence_file, name="evidence"),
    path("penalties/", discipline.penalties, name="penalties"),
    path("penalties/<int:penalty_id>/", discipline.penalty, name="penalty"),
    path("applications/", applications.applications, name="applications"),
    path("applications/new/", applications.application_new, name="application_new"),
    path("applications/<int:application_id>/", applications.application, name="application"),
    path("applications/<int:application_id>/edit/", applications.application_edit, name="application_edit"),
    path("applications/<int:application_id>/receipt.pdf", applications.receipt, name="receipt"),
    path("applications/<int:application_id>/<slug:step>/", applications.application_step, name="application_step"),
]
