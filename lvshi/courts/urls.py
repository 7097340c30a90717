from django.urls import path

from .views import court, filings, lawyer

app_name = "courts"

urlpatterns = [
    # the lawyer
    path("cases/", lawyer.cases, name="cases"),
    path("cases/bind/", lawyer.bind, name="bind"),
    path("cases/<int:case_id>/", lawyer.case, name="case"),
    path("cases/<int:case_id>/acceptance.pdf", lawyer.acceptance_pdf, name="acceptance_pdf"),
    path("filings/", filings.filings, name="filings"),
    path("filings/new/", filings.filing_new, name="filing_new"),
    path("filings/<int:filing_id>/", filings.filing, name="filing"),
    path("filings/<int:filing_id>/delete/", filings.filing_delete, name="filing_delete"),
    path("filings/<int:filing_id>/<slug:step>/", filings.filing_step, name="filing_step"),
    path("fees/", lawyer.fees, name="fees"),
    path("fees/<str:code>/", lawyer.fee, name="fee"),
    path("fees/<str:code>/receipt.pdf", lawyer.receipt, name="receipt"),
    path("payments/<int:payment_id>/", lawyer.payment, name="payment"),
    path("payments/<int:payment_id>/simulate/", lawyer.payment_simulate, name="payment_simulate"),
    path("hearings/", lawyer.hearings, name="hearings"),
    path("hearings/<int:hearing_id>/request/", lawyer.hearing_request, name="hearing_request"),
    # the court
    path("court/", court.workbench, name="workbench"),
    path("court/filings/", court.review_queue, name="review_queue"),
    path("court/filings/<int:filing_id>/", court.review_filing, name="review"),
    path("court/fees/", court.court_fees, name="court_fees"),
    path("court/fees/<int:notice_id>/adjust/", court.fee_adjust, name="fee_adjust"),
    path("court/cases/", court.court_cases, name="court_cases"),
    path("court/cases/<int:case_id>/", court.court_case, name="court_case"),
    path("court/cases/<int:case_id>/hearing/", court.schedule_hearing, name="schedule_hearing"),
    path("court/hearings/", court.court_hearings, name="court_hearings"),
    path("court/requests/", court.requests, name="requests"),
    path("court/requests/<int:request_id>/", court.decide_request, name="decide_request"),
]
