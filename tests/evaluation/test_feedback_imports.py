"""Paper and other systems' responses uploaded as CSV, imported by a Celery task."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation import services
from evaluation.models import Answer, ImportBatch, Response

from .factories import AlwaysEventFactory, feedback_form

HEADER = (
    "date,Q1 Did you know who to contact if you were worried after you got home?,"
    "Q2 Overall how was your experience of our service?,Q3 Anything else?\n"
)


@pytest.fixture
def form(organisation):
    return feedback_form(AlwaysEventFactory(organisation=organisation))


@pytest.fixture
def enqueued(monkeypatch):
    calls = []
    monkeypatch.setattr("evaluation.services._enqueue_import", calls.append)
    monkeypatch.setattr("evaluation.summaries.request_recompute", lambda _id: None)
    return calls


def upload(form, text: str, name="paper.csv") -> ImportBatch:
    return services.import_batch_create(form=form, file_name=name, content=text.encode())


def run(batch) -> ImportBatch:
    return services.import_batch_run(batch_id=batch.pk)


def test_the_template_has_a_date_column_and_one_column_per_question(form):
    import csv

    text = services.import_template_csv(services.form_current_version(form))
    header = next(csv.reader(text.splitlines()))
    assert header[0] == "date"
    assert [cell[:3] for cell in header[1:]] == ["Q1 ", "Q2 ", "Q3 "]
    assert header[2] == "Q2 Overall, how was your experience of our service?"


def test_valid_rows_are_saved_and_invalid_rows_listed_with_line_and_reason(
    form, enqueued, django_capture_on_commit_callbacks
):
    text = HEADER + (
        "2026-11-02,Yes definitely,Good,\n"
        "2026-11-02,\"Yes, definitely\",good,The nurse Mary rang 07700 900123\n"
        "03/11/2026,2,Very good,\n"
        "2026-13-40,No,Poor,\n"
        "2026-11-04,Maybe,Poor,\n"
        "2026-11-04,,Poor,\n"
        "2099-01-01,No,Poor,\n"
        "2026-11-05,No\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        batch = upload(form, text)
    assert enqueued == [batch.pk]
    assert batch.rows_total == 8

    batch = run(batch)

    assert batch.status == ImportBatch.Status.DONE
    assert batch.rows_saved == 2 and batch.rows_done == 8
    lines = {e["line"]: e["reason"] for e in batch.errors}
    assert set(lines) == {2, 5, 6, 7, 8, 9}
    assert "“Yes definitely” is not an answer to Q1" in lines[2]
    assert "real date" in lines[5]
    assert "“Maybe” is not an answer to Q1" in lines[6]
    assert "Q1 has no answer" in lines[7]
    assert "in the future" in lines[8]
    assert "columns" in lines[9]
    assert Response.objects.filter(source="paper").count() == 2
    assert Response.objects.get(responded_on=dt.date(2026, 11, 3)).answers.get(
        question__position=1
    ).option.label == "Yes, to some extent"
    text_answer = Answer.objects.get(question__position=3)
    assert "07700 900123" not in text_answer.text
    assert batch.content == ""


def test_uploading_the_same_file_twice_stores_nothing_twice(form, enqueued):
    text = HEADER + "2026-11-02,\"Yes, definitely\",Good,\n2026-11-03,No,Poor,\n"
    first = run(upload(form, text))
    second = run(upload(form, text))
    assert (first.rows_saved, second.rows_saved, second.rows_duplicate) == (2, 0, 2)
    assert Response.objects.count() == 2
    key = hashlib.sha256(f"{first.file_sha256}:2".encode()).hexdigest()
    assert Response.objects.filter(submission_key=key).exists()


def test_running_the_task_again_is_harmless(form, enqueued):
    batch = run(upload(form, HEADER + "2026-11-02,No,Poor,\n"))
    ImportBatch.objects.filter(pk=batch.pk).update(status="running")
    again = run(batch)
    assert Response.objects.count() == 1 and again.rows_saved == 0


@pytest.mark.parametrize("text,message", [
    ("when,q1,q2,q3\n", "The columns must be the same as the template"),
    ("date,Q1 a,Q2 b\n", "The columns must be the same as the template"),
    ("", "The selected file is empty"),
])
def test_a_file_with_the_wrong_columns_is_refused_before_importing(form, enqueued, text, message):
    with pytest.raises(ValidationError) as error:
        upload(form, text)
    assert message in str(error.value)
    assert not ImportBatch.objects.exists()


def test_a_file_over_2_mb_or_not_a_csv_is_refused(form, enqueued):
    with pytest.raises(ValidationError):
        services.import_batch_create(form=form, file_name="big.csv", content=b"x" * (2 * 2**20 + 1))
    with pytest.raises(ValidationError):
        services.import_batch_create(form=form, file_name="paper.pdf", content=b"%PDF")
    with pytest.raises(ValidationError):
        services.import_batch_create(form=form, file_name="paper.csv", content=b"\xff\xfe\x00")


def test_the_upload_page_starts_an_import_and_shows_its_progress(client, lead, form, enqueued):
    client.force_login(lead)
    file = SimpleUploadedFile(
        "paper.csv", (HEADER + "2026-11-02,No,Poor,\n").encode(), content_type="text/csv"
    )
    response = client.post(reverse("evaluation:import_create", args=[form.pk]), {"file": file})
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("evaluation:import_detail", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert "data-progress-url" in page and "progress.js" in page
    assert "0 of 1 rows done" in page
    assert "Refresh the progress" in page
    run(batch)
    page = client.get(response["Location"]).content.decode()
    assert "data-progress-url" not in page and "1 row saved" in page


def test_the_rows_not_saved_download_as_csv(client, lead, form, enqueued):
    batch = run(upload(form, HEADER + "2026-11-02,Maybe,Poor,\n"))
    client.force_login(lead)
    response = client.get(reverse("evaluation:import_errors", args=[batch.pk]))
    assert response["Content-Type"] == "text/csv"
    assert response.content.decode().splitlines()[0] == "line,reason"
    assert response.content.decode().splitlines()[1].startswith("2,")


def test_the_template_downloads_as_csv(client, lead, form):
    client.force_login(lead)
    response = client.get(reverse("evaluation:import_template", args=[form.pk]))
    assert response.content.decode().startswith("date,Q1 ")
    assert "attachment" in response["Content-Disposition"]


def test_the_import_task_imports_a_batch(form, enqueued):
    from evaluation.tasks import import_responses

    batch = upload(form, HEADER + "2026-11-02,No,Poor,\n")
    assert import_responses.run(batch.pk) == 1
