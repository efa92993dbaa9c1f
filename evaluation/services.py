"""Writes of the evaluation app: measures, forms, distribution points, responses, imports.

Every function is keyword-only and raises django's ValidationError with a message a
person can act on. Nothing is half-saved: each runs in one transaction.
"""

import csv
import datetime as dt
import functools
import hashlib
import io
import json
from contextlib import nullcontext
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from always_events.scrubbing import scrub
from coproduction.services import blank_in_batches, months_before

from .models import (
    Answer,
    DistributionPoint,
    FeedbackForm,
    FormTranslation,
    FormVersion,
    Frequency,
    ImportBatch,
    Interview,
    Measure,
    MeasureDataPoint,
    Option,
    Outcome,
    Question,
    Response,
)

S, N, E = Outcome.SUCCESS, Outcome.NOT_SUCCESS, Outcome.EXCLUDED

#: The scales in use (DESIGN §1), with what counts as success.
PRESET_SCALES: dict[str, tuple[str, list[tuple[str, int]]]] = {
    "yes_no": (
        "Yes, definitely / Yes, to some extent / No / Don't know",
        [("Yes, definitely", S), ("Yes, to some extent", N), ("No", N), ("Don't know", E)],
    ),
    "frequency": (
        "Always / Usually / Sometimes / Never",
        [("Always", S), ("Usually", N), ("Sometimes", N), ("Never", N)],
    ),
    "fft": (
        "Friends and Family Test: Very good to Very poor, and Don't know",
        [
            ("Very good", S), ("Good", S), ("Neither good nor poor", N), ("Poor", N),
            ("Very poor", N), ("Don't know", E),
        ],
    ),
}
CUSTOM_SCALE = "custom"
MAX_CLOSED_QUESTIONS = 5
MAX_FREE_TEXT_QUESTIONS = 1
DEFAULT_FREE_TEXT_LENGTH = 1000
OUTCOME_WORDS = {
    "success": S, "yes": S, "counts": S,
    "not success": N, "not": N, "no": N, "fail": N,
    "left out": E, "excluded": E, "exclude": E, "out": E,
}
MAX_IMPORT_BYTES = 2 * 1024 * 1024
IMPORT_CHUNK = 200


# Measures and data points ------------------------------------------------------------

MEASURE_FIELDS = (
    "kind", "name", "definition", "numerator", "denominator", "target_percent",
    "improvement", "frequency",
)


@transaction.atomic
def measure_create(*, always_event, fields: dict) -> Measure:
    measure = Measure(always_event=always_event, **_pick(fields, MEASURE_FIELDS))
    measure.full_clean()
    measure.save()
    return measure


@transaction.atomic
def measure_update(*, measure: Measure, fields: dict) -> Measure:
    for name, value in _pick(fields, MEASURE_FIELDS).items():
        setattr(measure, name, value)
    measure.full_clean()
    measure.save()
    return measure


def period_start_for(day: dt.date, frequency: str) -> dt.date:
    """The Monday of the day's week, or the first of its month."""
    if frequency == Frequency.MONTHLY:
        return day.replace(day=1)
    return day - dt.timedelta(days=day.weekday())


def _check_data_point(measure: Measure, numerator: int, denominator: int) -> None:
    if measure.kind == Measure.Kind.OUTCOME:
        raise ValidationError(
            "Outcome measures come from feedback forms: enter data for process, "
            "balancing, operational or staff-experience measures only"
        )
    if numerator < 0 or denominator < 0:
        raise ValidationError("Numerator and denominator must be 0 or more")
    if numerator > denominator:
        raise ValidationError(
            {"numerator": "The numerator must be the same as or less than the denominator"}
        )


@transaction.atomic
def data_point_record(
    *, measure: Measure, period_start: dt.date, numerator: int, denominator: int, user=None,
    source: str = MeasureDataPoint.Source.MANUAL,
) -> MeasureDataPoint:
    """Records (or replaces) the measure's figures for the period that holds `period_start`."""
    _check_data_point(measure, numerator, denominator)
    point, _ = MeasureDataPoint.objects.update_or_create(
        measure=measure,
        period_start=period_start_for(period_start, measure.frequency),
        defaults={
            "numerator": numerator, "denominator": denominator, "entered_by": user,
            "source": source,
        },
    )
    return point


@transaction.atomic
def data_point_delete(*, data_point: MeasureDataPoint) -> None:
    data_point.delete()


@dataclass
class RowError:
    line: int
    reason: str


@dataclass
class DataPointImport:
    saved: int
    errors: list[RowError]


DATA_POINT_COLUMNS = ["period_start", "numerator", "denominator"]


def data_points_import(*, measure: Measure, content: bytes, user=None) -> DataPointImport:
    """Saves each valid row of a CSV of period_start,numerator,denominator; lists the others.

    Valid rows are saved even when others are wrong, so nothing valid is lost; each row is
    its own transaction.
    """
    reader = _csv_reader(content)
    header = [_normalise_header(h) for h in next(reader, [])]
    if header[:3] != DATA_POINT_COLUMNS:
        raise ValidationError(
            "The first row of the file must be the column names "
            "period_start,numerator,denominator"
        )
    saved, errors = 0, []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            if len(row) < 3:
                raise ValidationError("The row needs a date, a numerator and a denominator")
            day = parse_date(row[0])
            numerator = _parse_count(row[1], "numerator")
            denominator = _parse_count(row[2], "denominator")
            data_point_record(
                measure=measure, period_start=day, numerator=numerator,
                denominator=denominator, user=user, source=MeasureDataPoint.Source.CSV,
            )
            saved += 1
        except ValidationError as error:
            errors.append(RowError(line, _message(error)))
    return DataPointImport(saved=saved, errors=errors)


def _parse_count(value: str, name: str) -> int:
    value = value.strip()
    if not value.isdigit():
        raise ValidationError(f"The {name} must be a whole number, 0 or more (got “{value}”)")
    return int(value)


def parse_date(value: str) -> dt.date:
    """A date written 2026-11-27, 27/11/2026 or 27-11-2026."""
    value = value.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise ValidationError(
        f"The date must be a real date written like 2026-11-27 or 27/11/2026 (got “{value}”)"
    )


# Forms, versions and questions -------------------------------------------------------

@transaction.atomic
def form_create(
    *, always_event, title: str, introduction: str = "",
    format: str = FormVersion.Format.STANDARD,  # noqa: A002
) -> FeedbackForm:
    form = FeedbackForm(always_event=always_event, title=title)
    form.full_clean()
    form.save()
    FormVersion.objects.create(
        form=form, number=1, format=format, introduction=introduction,
        published_at=timezone.now(),
    )
    return form


def form_current_version(form: FeedbackForm) -> FormVersion:
    return form.versions.order_by("-number").first()


def version_has_responses(version: FormVersion) -> bool:
    return Response.objects.filter(form_version=version).exists()


@transaction.atomic
def form_version_for_editing(*, form: FeedbackForm) -> FormVersion:
    """The version to change. When the current one has responses, a new version copying its
    questions, options and translations: every response keeps the questions it answered."""
    current = FormVersion.objects.select_for_update().filter(form=form).order_by("-number")[0]
    if not version_has_responses(current):
        return current
    new = FormVersion.objects.create(
        form=form, number=current.number + 1, format=current.format,
        introduction=current.introduction, published_at=timezone.now(),
    )
    for question in current.questions.prefetch_related("options"):
        options = list(question.options.all())
        question.pk = None
        question.version = new
        question.save()
        bulk_create_with_history([
            Option(question=question, position=o.position, label=o.label, outcome=o.outcome)
            for o in options
        ], Option)
    for translation in current.translations.all():
        translation.pk = None
        translation.version = new
        translation.save()
    return new


@transaction.atomic
def form_update(
    *, form: FeedbackForm, title: str, introduction: str, format: str,  # noqa: A002
) -> FeedbackForm:
    form.title = title
    form.full_clean()
    form.save()
    version = form_current_version(form)
    if version.introduction != introduction or version.format != format:
        version = form_version_for_editing(form=form)
        version.introduction = introduction
        version.format = format
        version.save(update_fields=["introduction", "format"])
    return form


def parse_custom_options(text: str) -> list[tuple[str, int]]:
    """Options written one a line as "Label | success", "Label | not success" or
    "Label | left out"."""
    options = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label, _, word = line.rpartition("|")
        label, word = label.strip(), " ".join(word.lower().split())
        if not label:
            raise ValidationError(
                {"custom_options": f"Line {number}: write the answer, a | and then success, "
                 "not success or left out"}
            )
        if word not in OUTCOME_WORDS:
            raise ValidationError(
                {"custom_options": f"Line {number}: after the | write success, not success "
                 f"or left out (got “{word}”)"}
            )
        options.append((label[:200], OUTCOME_WORDS[word]))
    if len(options) < 2:
        raise ValidationError({"custom_options": "Enter at least 2 answers, one on each line"})
    if len({label.lower() for label, _ in options}) != len(options):
        raise ValidationError({"custom_options": "Each answer must be different"})
    return options


def _options_for(kind: str, scale: str, custom_options: str) -> list[tuple[str, int]]:
    if kind == Question.Kind.FREE_TEXT:
        return []
    if scale in PRESET_SCALES and kind == Question.Kind.SCALE:
        return PRESET_SCALES[scale][1]
    return parse_custom_options(custom_options)


def _check_question_counts(version: FormVersion, kind: str, exclude_pk=None) -> None:
    others = version.questions.exclude(pk=exclude_pk)
    if kind == Question.Kind.FREE_TEXT:
        if others.filter(kind=kind).count() >= MAX_FREE_TEXT_QUESTIONS:
            raise ValidationError(
                {"kind": "A form can have 1 free text question. Change or remove the one it has"}
            )
    elif others.exclude(kind=Question.Kind.FREE_TEXT).count() >= MAX_CLOSED_QUESTIONS:
        raise ValidationError(
            {"kind": "A form can have up to 5 questions with answers to choose from. Keep it short"}
        )


def _check_measure(form: FeedbackForm, measure: Measure | None, kind: str) -> None:
    if measure is None:
        return
    if measure.always_event_id != form.always_event_id or measure.kind != Measure.Kind.OUTCOME:
        raise ValidationError({"measure": "Select an outcome measure of this Always Event"})
    if kind == Question.Kind.FREE_TEXT:
        raise ValidationError({"measure": "A free text question cannot feed a measure"})


@transaction.atomic
def question_add(
    *, form: FeedbackForm, kind: str, text: str, hint: str = "", required: bool = True,
    scale: str = "", custom_options: str = "", max_length: int | None = None,
    measure: Measure | None = None,
) -> Question:
    version = form_version_for_editing(form=form)
    _check_question_counts(version, kind)
    _check_measure(form, measure, kind)
    options = _options_for(kind, scale, custom_options)
    last = version.questions.order_by("-position").values_list("position", flat=True).first()
    question = Question(
        version=version, position=(last or 0) + 1, kind=kind, text=text, hint=hint,
        required=required if kind != Question.Kind.FREE_TEXT else False,
        max_length=(max_length or DEFAULT_FREE_TEXT_LENGTH)
        if kind == Question.Kind.FREE_TEXT else None,
        measure=measure,
    )
    question.full_clean()
    question.save()
    bulk_create_with_history([
        Option(question=question, position=i, label=label, outcome=outcome)
        for i, (label, outcome) in enumerate(options, start=1)
    ], Option)
    return question


@transaction.atomic
def question_update(
    *, form: FeedbackForm, position: int, text: str, hint: str = "", required: bool = True,
    scale: str = "", custom_options: str = "", max_length: int | None = None,
    measure: Measure | None = None,
) -> Question:
    """Changes the question at `position` of the form's current version (or of a new version
    when the current one has responses). Its kind stays the same."""
    version = form_version_for_editing(form=form)
    question = version.questions.get(position=position)
    _check_measure(form, measure, question.kind)
    question.text, question.hint, question.measure = text, hint, measure
    if question.kind == Question.Kind.FREE_TEXT:
        question.max_length = max_length or DEFAULT_FREE_TEXT_LENGTH
    else:
        question.required = required
        if scale or custom_options:
            options = _options_for(question.kind, scale, custom_options)
            question.options.all().delete()
            bulk_create_with_history([
                Option(question=question, position=i, label=label, outcome=outcome)
                for i, (label, outcome) in enumerate(options, start=1)
            ], Option)
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_delete(*, form: FeedbackForm, position: int) -> None:
    version = form_version_for_editing(form=form)
    version.questions.filter(position=position).delete()


@transaction.atomic
def question_move(*, form: FeedbackForm, position: int, direction: str) -> None:
    """Swaps the question with the one above ("up") or below ("down"), then numbers the
    questions 1, 2, 3… again (a removed question leaves a gap). Translations are keyed by
    position, so their entries move with their questions. Like any change to a version in
    use, it makes a new version first."""
    if direction not in ("up", "down"):
        raise ValidationError("Move a question up or down")

    def reordered(version):
        questions = list(version.questions.select_for_update().order_by("position"))
        index = next((i for i, q in enumerate(questions) if q.position == position), None)
        if index is None:
            raise ValidationError("There is no such question")
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(questions):
            questions[index], questions[other] = questions[other], questions[index]
        return questions

    # First up or last down, already numbered 1, 2, 3…: nothing changes, no new version.
    current = form_current_version(form)
    questions = reordered(current)
    if [q.position for q in questions] == list(range(1, len(questions) + 1)):
        return
    version = form_version_for_editing(form=form)
    if version != current:  # the current one has responses: move in its copy
        questions = reordered(version)
    before = {q.pk: q.position for q in questions}
    gap = max(before.values()) + 1  # two passes: positions are unique in a version
    for new_position, question in enumerate(questions, start=1):
        question.position = gap + new_position
        question.save(update_fields=["position"])
    for new_position, question in enumerate(questions, start=1):
        question.position = new_position
        question.save(update_fields=["position"])
    renumbered = {str(before[q.pk]): str(q.position) for q in questions}
    for translation in version.translations.all():
        translation.questions = {  # a removed question's entry goes: its number is reused
            renumbered[key]: value for key, value in translation.questions.items()
            if key in renumbered
        }
        translation.save(update_fields=["questions"])


@transaction.atomic
def translation_save(
    *, form: FeedbackForm, language: str, language_name: str, title: str,
    introduction: str = "", questions: dict,
) -> FormTranslation:
    """Adds or replaces the current version's translation into `language`."""
    version = form_current_version(form)
    language = language.strip().lower()
    if language in ("en", "en-gb"):
        raise ValidationError({"language": "The form is already in English"})
    translation, _ = FormTranslation.objects.update_or_create(
        version=version, language=language,
        defaults={
            "language_name": language_name, "title": title, "introduction": introduction,
            "questions": questions,
        },
    )
    translation.full_clean()
    return translation


@transaction.atomic
def translation_delete(*, translation: FormTranslation) -> None:
    translation.delete()


# Distribution points -----------------------------------------------------------------

@transaction.atomic
def distribution_point_create(
    *, form: FeedbackForm, location: str, channel: str, starts_on: dt.date,
    ends_on: dt.date | None = None,
) -> DistributionPoint:
    if ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": "The end date must be the same as or after the start"})
    point = DistributionPoint(
        always_event_id=form.always_event_id, form=form, location=location, channel=channel,
        starts_on=starts_on, ends_on=ends_on,
    )
    point.full_clean()
    point.save()
    return point


@transaction.atomic
def distribution_point_retire(*, point: DistributionPoint) -> DistributionPoint:
    if point.retired_at is None:
        point.retired_at = timezone.now()
        point.save(update_fields=["retired_at"])
    return point


def distribution_point_is_open(point: DistributionPoint, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        point.retired_at is None
        and point.starts_on <= today
        and (point.ends_on is None or point.ends_on >= today)
    )


# Responses ---------------------------------------------------------------------------

@dataclass(frozen=True)
class AnswerInput:
    """One answer before it is saved: an option for closed questions, text for free text."""

    question: Question
    option: Option | None = None
    text: str = ""


def response_record(
    *, version: FormVersion, answers: list[AnswerInput], source: str, submission_key: str,
    language: str = "en", distribution_point: DistributionPoint | None = None,
    import_batch: ImportBatch | None = None, responded_on: dt.date | None = None,
    recompute: bool = True,
) -> Response | None:
    """Saves one anonymous response and its answers, all or nothing.

    Returns None when a response with this submission key already exists (a double click,
    a resubmitted page, a re-uploaded file): it is stored once. Free text is scrubbed of
    identifiers. On commit, asks for the Always Event's summaries to be recomputed.
    """
    _check_answers(version, answers)
    always_event_id = version.form.always_event_id
    response = Response(
        always_event_id=always_event_id, form_version=version,
        distribution_point=distribution_point, import_batch=import_batch,
        source=source, language=language[:10],
        responded_on=responded_on or timezone.localdate(), submission_key=submission_key,
    )
    rows = _answer_rows(answers, names=_staff_names(version, answers))
    try:
        _response_insert(response, rows)
    except IntegrityError:
        if Response.objects.filter(submission_key=submission_key).exists():
            return None
        raise
    if recompute:
        transaction.on_commit(lambda: _request_recompute(always_event_id))
    return response


def _response_insert(response: Response, rows: list[dict]) -> None:
    """Inserts the response and its answers. On PostgreSQL in one statement, which is
    atomic on its own: outside a transaction (a patient's answers) that is one round trip
    instead of four (BEGIN, the response, the answers, COMMIT). Inside one (an import), a
    savepoint lets a duplicate key fail alone. Elsewhere (SQLite for `make run`), the ORM."""
    if connection.vendor != "postgresql":
        with transaction.atomic():
            response.save(force_insert=True)
            Answer.objects.bulk_create(
                Answer(
                    response=response, always_event_id=response.always_event_id,
                    responded_on=response.responded_on, **row,
                )
                for row in rows
            )
        return
    params = [
        getattr(response, Response._meta.get_field(name).attname)
        for name in _RESPONSE_COLUMNS
    ] + [json.dumps(rows)]
    savepoint = transaction.atomic() if connection.in_atomic_block else nullcontext()
    with savepoint, connection.cursor() as cursor:
        cursor.execute(_response_insert_sql(), params)
        response.pk = cursor.fetchone()[0]
    response._state.adding = False
    response._state.db = connection.alias


_RESPONSE_COLUMNS = [
    "always_event", "form_version", "distribution_point", "import_batch", "source",
    "language", "responded_on", "submission_key",
]
_ANSWER_COLUMNS = ["question", "option", "text", "outcome"]


@functools.cache
def _response_insert_sql() -> str:
    """The response and its answers (a JSON array of rows) in one INSERT … WITH. Written
    once per process from the models' columns."""
    response_columns = [Response._meta.get_field(name).column for name in _RESPONSE_COLUMNS]
    answer_fields = [Answer._meta.get_field(name) for name in _ANSWER_COLUMNS]
    answer_columns = [field.column for field in answer_fields]
    return f"""
        WITH response AS (
            INSERT INTO {Response._meta.db_table} ({", ".join(response_columns)})
            VALUES ({", ".join(["%s"] * len(response_columns))})
            RETURNING id, always_event_id, responded_on
        ), answers AS (
            INSERT INTO {Answer._meta.db_table}
                (response_id, always_event_id, responded_on, {", ".join(answer_columns)})
            SELECT response.id, response.always_event_id, response.responded_on,
                   {", ".join(f"answer.{column}" for column in answer_columns)}
            FROM response, jsonb_to_recordset(%s::jsonb) AS answer ({", ".join(
                f"{field.column} {field.db_type(connection)}" for field in answer_fields
            )})
        )
        SELECT id FROM response
    """  # noqa: S608 — the names come from the models, the values are parameters


def _staff_names(version: FormVersion, answers: list[AnswerInput]) -> list[str]:
    """Names of the Always Event's leads and team, removed from free text as well."""
    if not any(a.option is None and a.text.strip() for a in answers):
        return []
    from django.contrib.auth import get_user_model

    event = version.form.always_event
    users = get_user_model().objects.filter(
        models.Q(led_always_events=event) | models.Q(always_event_teams=event)
    )
    return [name for name in users.values_list("full_name", flat=True).distinct() if name]


def _answer_rows(answers: list[AnswerInput], names: list[str] = ()) -> list[dict]:
    """Each answer given as its columns (`_ANSWER_COLUMNS`), free text scrubbed."""
    rows = []
    for answer in answers:
        option = answer.option
        if option is None and not answer.text.strip():
            continue
        rows.append({
            "question_id": answer.question.pk,
            "option_id": option.pk if option else None,
            "text": "" if option else scrub(answer.text.strip(), names=names),
            "outcome": option.outcome if option else None,
        })
    return rows


def _check_answers(version: FormVersion, answers: list[AnswerInput]) -> None:
    given = {a.question.pk: a for a in answers}
    for answer in answers:
        question = answer.question
        if question.version_id != version.pk:
            raise ValidationError("An answer is to a question that is not on this form")
        if answer.option is not None and answer.option.question_id != question.pk:
            raise ValidationError(f"Select one of the answers to “{question.text}”")
        too_long = question.max_length and len(answer.text) > question.max_length
        if question.kind == Question.Kind.FREE_TEXT and too_long:
            raise ValidationError(
                f"Your answer to “{question.text}” must be "
                f"{question.max_length} characters or fewer"
            )
    for question in version.questions.all():
        answer = given.get(question.pk)
        if question.required and question.kind != Question.Kind.FREE_TEXT and (
            answer is None or answer.option is None
        ):
            raise ValidationError(f"Select an answer to “{question.text}”")


def _request_recompute(always_event_id: int) -> None:
    from . import summaries

    summaries.request_recompute(always_event_id)


# Imports of paper and other systems' responses -----------------------------------------

DATE_COLUMN = "date"


def import_header(version: FormVersion) -> list[str]:
    """The template's columns: the date, then one column per question, "Q1 text"."""
    return [DATE_COLUMN] + [f"Q{q.position} {q.text}" for q in version.questions.all()]


def import_template_csv(version: FormVersion) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(import_header(version))
    example = [timezone.localdate().isoformat()]
    for question in version.questions.prefetch_related("options"):
        options = list(question.options.all())
        example.append(options[0].label if options else "")
    writer.writerow(example)
    return buffer.getvalue()


@transaction.atomic
def import_batch_create(
    *, form: FeedbackForm, file_name: str, content: bytes, user=None,
) -> ImportBatch:
    """Checks the upload and stores it; the import itself runs in a Celery task."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ValidationError({"file": "The file must be smaller than 2 MB"})
    if not file_name.lower().endswith(".csv"):
        raise ValidationError({"file": "The selected file must be a CSV"})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError({"file": "The selected file must be a CSV saved as UTF-8"}) from error
    if "\x00" in text:
        raise ValidationError({"file": "The selected file must be a CSV"})
    version = form_current_version(form)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise ValidationError({"file": "The selected file is empty"})
    _check_import_header(version, rows[0])
    batch = ImportBatch.objects.create(
        always_event_id=form.always_event_id, form_version=version, file_name=file_name[:255],
        file_sha256=hashlib.sha256(content).hexdigest(), content=text,
        rows_total=sum(1 for row in rows[1:] if any(c.strip() for c in row)),
        uploaded_by=user,
    )
    transaction.on_commit(lambda: _enqueue_import(batch.pk))
    return batch


def _enqueue_import(batch_id: int) -> None:
    from .tasks import import_responses

    import_responses.delay(batch_id)


def _check_import_header(version: FormVersion, header: list[str]) -> None:
    expected = import_header(version)
    got = [_normalise_header(h) for h in header]
    if len(got) != len(expected) or got[0] != DATE_COLUMN or any(
        not cell.startswith(f"q{i}") for i, cell in enumerate(got[1:], start=1)
    ):
        raise ValidationError(
            {"file": "The columns must be the same as the template's: "
             + ", ".join(expected) + ". Download the template and copy your rows into it"}
        )


def import_batch_run(*, batch_id: int) -> ImportBatch:
    """Imports each row; saves valid rows, lists the line and reason of the others.

    Each row's submission key is the SHA-256 of the file's hash and its line number, so
    uploading the same file again stores nothing twice. Idempotent: a task run twice
    (acks late) counts the rows it finds already saved as duplicates.
    """
    batch = ImportBatch.objects.select_related("form_version__form").get(pk=batch_id)
    if batch.status == ImportBatch.Status.DONE:
        return batch
    batch.status, batch.rows_done, batch.rows_saved, batch.rows_duplicate = (
        ImportBatch.Status.RUNNING, 0, 0, 0,
    )
    batch.errors = []
    batch.save(update_fields=["status", "rows_done", "rows_saved", "rows_duplicate", "errors"])
    version = batch.form_version
    questions = list(version.questions.prefetch_related("options"))
    reader = csv.reader(io.StringIO(batch.content))
    next(reader, None)
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        _import_row(batch, version, questions, line, row)
        batch.rows_done += 1
        if batch.rows_done % IMPORT_CHUNK == 0:
            _save_progress(batch)
    batch.status = ImportBatch.Status.DONE
    batch.finished_at = timezone.now()
    batch.content = ""
    _save_progress(batch, extra=["status", "finished_at", "content"])
    if batch.rows_saved:
        transaction.on_commit(lambda: _request_recompute(batch.always_event_id))
    return batch


def _save_progress(batch: ImportBatch, extra: list[str] = ()) -> None:
    batch.save(
        update_fields=["rows_done", "rows_saved", "rows_duplicate", "errors", *extra]
    )


def _import_row(batch, version, questions, line: int, row: list[str]) -> None:
    key = hashlib.sha256(f"{batch.file_sha256}:{line}".encode()).hexdigest()
    try:
        day, answers = _parse_import_row(questions, row)
        saved = response_record(
            version=version, answers=answers, source=Response.Source.PAPER,
            submission_key=key, import_batch=batch, responded_on=day, recompute=False,
        )
    except ValidationError as error:
        batch.errors.append({"line": line, "reason": _message(error)})
        return
    if saved is None:
        batch.rows_duplicate += 1
    else:
        batch.rows_saved += 1


def _parse_import_row(questions: list[Question], row: list[str]):
    if len(row) != len(questions) + 1:
        raise ValidationError(
            f"The row has {len(row)} columns; it needs {len(questions) + 1}: the date and "
            "one for each question"
        )
    day = parse_date(row[0])
    if day > timezone.localdate():
        raise ValidationError(f"The date {row[0].strip()} is in the future")
    answers = []
    for question, cell in zip(questions, row[1:], strict=True):
        value = cell.strip()
        if question.kind == Question.Kind.FREE_TEXT:
            if question.max_length and len(value) > question.max_length:
                raise ValidationError(
                    f"The answer to Q{question.position} must be {question.max_length} "
                    "characters or fewer"
                )
            answers.append(AnswerInput(question=question, text=value))
            continue
        if not value:
            if question.required:
                raise ValidationError(f"Q{question.position} has no answer")
            continue
        option = _find_option(question, value)
        if option is None:
            labels = ", ".join(o.label for o in question.options.all())
            raise ValidationError(
                f"“{value}” is not an answer to Q{question.position}; use one of: {labels}"
            )
        answers.append(AnswerInput(question=question, option=option))
    return day, answers


def _find_option(question: Question, value: str) -> Option | None:
    wanted = " ".join(value.lower().replace("’", "'").split())
    for option in question.options.all():
        if wanted in (option.label.lower().replace("’", "'"), str(option.position)):
            return option
    return None


def import_errors_csv(batch: ImportBatch) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["line", "reason"])
    for error in batch.errors:
        writer.writerow([error["line"], error["reason"]])
    return buffer.getvalue()


# Helpers -----------------------------------------------------------------------------

def _pick(fields: dict, names) -> dict:
    return {name: fields[name] for name in names if name in fields}


def _csv_reader(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError("The selected file must be a CSV saved as UTF-8") from error
    return csv.reader(io.StringIO(text))


def _normalise_header(value: str) -> str:
    return " ".join(value.strip().lower().split())


def _message(error: ValidationError) -> str:
    return "; ".join(error.messages)


# Retention ---------------------------------------------------------------------------------


def free_text_purge(*, today: dt.date, months: int, batch_size: int = 10_000) -> int:
    """Blanks free-text answers given more than `months` months before `today`.

    The rows stay (they say a free-text question was answered); scored answers, options
    and outcomes are untouched, so summaries do not change. Runs in batches, each its own
    transaction, so a national purge never holds a long lock. Idempotent. Returns how
    many answers were blanked.
    """
    cutoff = months_before(today, months)
    return blank_in_batches(
        Answer.objects.filter(responded_on__lt=cutoff), "text", batch_size=batch_size
    )


def interview_text_purge(*, today: dt.date, months: int, batch_size: int = 10_000) -> int:
    """Blanks the quotes and notes of programme evaluation interviews held more than
    `months` months before `today`.

    The interviews stay, with organisation, date, the interviewee's role and themes, so
    the evaluation's interview count and theme ranking do not change. Runs in batches, each
    its own transaction. Idempotent. Returns how many interviews were blanked.
    """
    cutoff = months_before(today, months)
    return blank_in_batches(
        Interview.objects.filter(interviewed_on__lt=cutoff), "quotes", "notes",
        batch_size=batch_size,
    )
