"""A synthetic dataset at any size, for benchmarks: reports, recommendations, replies, commitments,
consultation submissions and digest subscribers, deterministic for a given seed and anchor date.

Proportions follow the real documents: reports of 5 to 25 recommendations, mostly to MOPAC, the
Met and the Mayor (some to two or three bodies), a third with a deadline (a few whose copies give
different deadlines), about 70% answered (with an assessment and an implementation status, and a
commitment in about one reply in four), a consultation submission per 250 recommendations, and
1,000 subscribers to the weekly digest.

Rows are written with bulk inserts that bypass the ORM's per-object work: ``COPY`` on PostgreSQL
(250,000 recommendations and their ~1.3 million related rows in well under two minutes), batched
``INSERT``s elsewhere. Primary keys are assigned here, after the largest existing id, so related
rows can name each other without reading anything back; sequences are reset afterwards. Nothing
goes through ``full_clean()``: the generator only makes rows the model's rules allow, and the
database's constraints check the rest. No history rows are written (nobody edited anything).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from recommendations.dates import DatePrecision
from recommendations.models import Document, Organisation, Recommendation, RecommendationAppearance, Report
from responses.models import Ask, Commitment, Consultation, DigestSubscription, Response, Submission
from tracker import pagecache

DEFAULT_ANCHOR = datetime.date(2025, 1, 1)
"""The "now" the dates are spread around: reports over the 20 years before it, deadlines up to
about two and a half years after publication. Benchmarks pass today's date instead."""

# A fixed stamp for created_at/updated_at, so two runs with the same seed write the same rows.
STAMP = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)

# (short name, name, slug, kind, weight as an addressee). The first four match the seed fixtures,
# so the generator adds to an imported database without duplicating the bodies it names.
BODIES = [
    ("Committee", "London Assembly Police and Crime Committee", "london-assembly-police-and-crime-committee", "committee", 0),
    ("MOPAC", "Mayor's Office for Policing and Crime", "mayors-office-for-policing-and-crime", "mopac", 40),
    ("Met", "Metropolitan Police Service", "metropolitan-police-service", "police", 30),
    ("Mayor", "Mayor of London", "mayor-of-london", "mayor", 15),
    ("Home Office", "Home Office", "home-office", "government", 3),
    ("College of Policing", "College of Policing", "college-of-policing", "other", 2),
    ("NPCC", "National Police Chiefs' Council", "national-police-chiefs-council", "other", 2),
    ("CPS", "Crown Prosecution Service", "crown-prosecution-service", "government", 2),
    ("MoJ", "Ministry of Justice", "ministry-of-justice", "government", 2),
    ("BTP", "British Transport Police", "british-transport-police", "police", 1),
    ("City of London Police", "City of London Police", "city-of-london-police", "police", 1),
    ("London Councils", "London Councils", "london-councils", "council", 1),
    ("Probation Service", "Probation Service (London)", "probation-service-london", "government", 1),
    ("NHS England London", "NHS England (London)", "nhs-england-london", "other", 1),
    ("IOPC", "Independent Office for Police Conduct", "independent-office-for-police-conduct", "other", 1),
    ("VRU", "Violence Reduction Unit", "violence-reduction-unit", "other", 1),
]
CONSULTEES = [
    ("Barnardo's", "barnardos", "charity"),
    ("Refuge", "refuge", "charity"),
    ("Victim Support", "victim-support", "charity"),
    ("St Giles Trust", "st-giles-trust", "charity"),
    ("London Borough of Camden", "london-borough-of-camden", "council"),
    ("London Borough of Newham", "london-borough-of-newham", "council"),
    ("London Borough of Southwark", "london-borough-of-southwark", "council"),
    ("Solace Women's Aid", "solace-womens-aid", "charity"),
]

TOPICS = [
    "Neighbourhood policing", "Stop and search", "Knife crime", "Violence against women and girls",
    "Domestic abuse", "Tackling hate crime", "Body-worn video", "Police use of force", "Custody",
    "Youth violence", "Road safety", "Fraud and cyber crime", "Public order", "Counter-terrorism",
    "Police recruitment and retention", "Trust and confidence", "Victims' services", "Drugs and county lines",
    "Mental health and policing", "Safer transport", "Police estate", "Live facial recognition",
    "Child exploitation", "Serious youth violence", "Anti-social behaviour", "Police misconduct",
    "Rape and serious sexual offences", "Community safety partnerships", "Gangs violence matrix",
    "Police technology",
]
CHAPTER_LEADS = ["Introduction", "Findings", "Resources", "Partnership working", "Accountability", "Data and evidence", "Next steps"]
VERBS = [
    "publish", "review", "report back to this Committee on", "set out a plan for", "evaluate", "increase funding for",
    "commission an independent review of", "write to the Committee about", "consult Londoners on", "introduce",
    "set targets for", "improve", "expand", "monitor", "reduce",
]
OBJECTS = [
    "the use of stop and search in each borough", "response times to emergency calls", "its neighbourhood policing model",
    "support for victims of domestic abuse", "the number of knife crime offences", "training for frontline officers",
    "body-worn video footage retention", "the disproportionate use of force", "its approach to youth diversion",
    "the recruitment of officers from London's communities", "data on hate crime outcomes", "custody healthcare",
    "the performance of its fraud unit", "safeguarding of children in custody", "public confidence in the police",
    "the Violence Reduction Unit's programmes", "live facial recognition deployments", "its estates strategy",
    "the backlog of rape cases", "officer wellbeing and retention", "community monitoring groups",
    "the policing of protests", "the safety of women on public transport", "the misconduct process",
]
QUALIFIERS = [
    "", "", "", " with clear milestones", " and share the results publicly", " across all 32 boroughs",
    " in partnership with London councils", " and publish the data quarterly", " with input from young Londoners",
    " and explain any delay",
]
REPLY_OPENINGS = [
    "MOPAC accepts this recommendation.", "The Mayor agrees with the Committee.", "The Met is already taking this forward.",
    "MOPAC partially accepts this recommendation.", "The Mayor notes the recommendation.", "This is not accepted.",
]
REPLY_BODIES = [
    "Work is under way and an update will follow", "The Met will publish its findings", "A review has been commissioned",
    "MOPAC will monitor progress through its oversight board", "Funding has been allocated in the budget",
    "The Mayor will write to the Committee", "New guidance will be issued to officers",
]
WHEN_WORDS = ["later this year", "by the end of the financial year", "in the spring", "within six months", "next year"]
ASK_TEXTS = [
    "Fund more youth workers in the borough", "Publish stop and search data by ward", "Keep police counters open",
    "Support specialist services for survivors of domestic abuse", "Involve communities in police training",
    "Commit to a target for response times", "Protect neighbourhood officers from abstraction",
]
FIRST_NAMES = ["Amina", "Ben", "Chloe", "Dev", "Ewa", "Femi", "Grace", "Hassan", "Iris", "Jon", "Kemi", "Liam"]
LAST_NAMES = ["Ahmed", "Brown", "Clarke", "Davies", "Evans", "Foster", "Green", "Hughes", "Iqbal", "Jones", "Khan", "Lewis"]


@dataclass
class SyntheticDataset:
    """How many rows of each kind were generated."""

    seed: int
    anchor: datetime.date
    counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return ", ".join(f"{name} {count}" for name, count in self.counts.items())


class _Table:
    """Rows for one table, as tuples in column order, with primary keys assigned here."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.defaults = {}
        for f in self.fields:
            if f.attname in ("created_at", "updated_at"):
                self.defaults[f.attname] = STAMP
            elif f.has_default() and not callable(f.default):
                self.defaults[f.attname] = f.default
            elif f.null:
                self.defaults[f.attname] = None
            elif f.empty_strings_allowed and not f.has_default():
                self.defaults[f.attname] = ""
        self.rows: list[tuple] = []
        self.next_pk = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def add(self, **values) -> int:
        pk = values.setdefault(self.model._meta.pk.attname, self.next_pk)
        self.next_pk = max(self.next_pk, pk + 1)
        try:
            self.rows.append(tuple(values[a] if a in values else self.defaults[a] for a in self.attnames))
        except KeyError as missing:
            raise ValueError(f"{self.model.__name__}: no value for {missing}") from None
        unknown = set(values) - set(self.attnames)
        if unknown:
            raise ValueError(f"{self.model.__name__}: unknown columns {sorted(unknown)}")
        return pk


def _copy_value(value) -> str:
    # PostgreSQL COPY text format: \N for NULL, backslash escapes for tab, newline and backslash.
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return str(value)


def _write(table: _Table, *, batch: int = 50_000) -> None:
    if not table.rows:
        return
    model = table.model
    columns = [f.column for f in table.fields]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
            for start in range(0, len(table.rows), batch):
                buffer = io.StringIO()
                for row in table.rows[start : start + batch]:
                    buffer.write("\t".join(map(_copy_value, row)))
                    buffer.write("\n")
                buffer.seek(0)
                cursor.copy_expert(sql, buffer)
        else:
            sql = (
                f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
                f"VALUES ({', '.join(['%s'] * len(columns))})"
            )
            prepared = [
                tuple(f.get_db_prep_save(v, connection) for f, v in zip(table.fields, row, strict=False)) for row in table.rows
            ]
            for start in range(0, len(prepared), 1000):
                cursor.executemany(sql, prepared[start : start + 1000])
    table.rows.clear()


def _sha(*parts) -> str:
    return hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()


def _month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def _deadline(rng: random.Random, after: datetime.date) -> tuple[datetime.date, str, str]:
    """A deadline some months after ``after``, with its words and precision."""
    day = after + datetime.timedelta(days=rng.randint(60, 900))
    roll = rng.random()
    if roll < 0.6:
        end = _month_end(day)
        return end, f"by {end:%B %Y}", DatePrecision.MONTH
    if roll < 0.9:
        return day, f"by {day.day} {day:%B %Y}", DatePrecision.DAY
    return datetime.date(day.year, 12, 31), f"by the end of {day.year}", DatePrecision.YEAR


def _weighted_addressees(rng: random.Random, bodies: list[tuple[Organisation, int]]) -> list[Organisation]:
    how_many = 1 if rng.random() < 0.7 else (2 if rng.random() < 0.83 else 3)
    chosen: list[Organisation] = []
    while len(chosen) < how_many:
        org = rng.choices([b for b, _ in bodies], weights=[w for _, w in bodies])[0]
        if org not in chosen:
            chosen.append(org)
    return chosen


def _organisations() -> tuple[Organisation, list[tuple[Organisation, int]], list[Organisation], dict[str, Organisation]]:
    by_short = {}
    for short_name, name, slug, kind, _weight in BODIES:
        org = Organisation.objects.filter(short_name=short_name).first() or Organisation.objects.filter(slug=slug).first()
        if org is None:
            org = Organisation.objects.create(name=name, short_name=short_name, slug=slug, kind=kind)
        by_short[short_name] = org
    consultees = []
    for name, slug, kind in CONSULTEES:
        org = Organisation.objects.filter(slug=slug).first() or Organisation.objects.create(name=name, slug=slug, kind=kind)
        consultees.append(org)
    addressees = [(by_short[short], weight) for short, _n, _s, _k, weight in BODIES if weight]
    return by_short["Committee"], addressees, consultees, by_short


def synthetic_dataset_generate(
    *,
    recommendations: int,
    seed: int = 1,
    anchor: datetime.date = DEFAULT_ANCHOR,
    subscribers: int = 1000,
    commit: bool = True,
) -> SyntheticDataset:
    """Generate ``recommendations`` recommendations and everything around them, in one transaction
    (rolled back unless ``commit``). The same seed and anchor give the same rows. Refuses to run
    twice with the same seed on one database (the slugs would clash)."""
    if recommendations < 1:
        raise ValueError("Generate at least one recommendation.")
    rng = random.Random(seed)
    prefix = f"synthetic-{seed}"
    if Report.objects.filter(slug__startswith=f"{prefix}-").exists():
        raise ValueError(f"This database already holds a synthetic dataset with seed {seed}.")
    result = SyntheticDataset(seed=seed, anchor=anchor)
    with transaction.atomic():
        committee, addressees, consultees, by_short = _organisations()
        tables = {
            model: _Table(model)
            for model in (
                Report, Document, Recommendation, Recommendation.addressees.through, RecommendationAppearance,
                Response, Commitment, Consultation, Submission, Ask, get_user_model(), DigestSubscription,
                DigestSubscription.organisations.through,
            )
        }
        _generate_reports(rng, tables, recommendations=recommendations, prefix=prefix, anchor=anchor,
                          committee=committee, addressees=addressees, by_short=by_short)
        _generate_consultations(rng, tables, recommendations=recommendations, prefix=prefix, anchor=anchor,
                                consultees=consultees)
        _generate_subscribers(rng, tables, count=subscribers, prefix=prefix, by_short=by_short)
        for model, table in tables.items():
            name = str(model._meta.verbose_name_plural) if not model._meta.auto_created else model._meta.db_table
            result.counts[name] = len(table.rows)
            _write(table)
        pagecache.data_changed()  # COPY sends no model signals
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(tables)):
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                for model in tables:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        if not commit:
            transaction.set_rollback(True)
    return result


def _report_item(rng, number: int, addressees, chapters: list[str], published: datetime.date) -> tuple:
    """(number, bodies, text, short_text, chapter, deadline, deadline_text, deadline_precision, conflict)
    for one synthetic recommendation; ``conflict`` is a later deadline its chapter copy gives."""
    bodies = _weighted_addressees(rng, addressees)
    names = " and ".join(str(b) for b in bodies)
    action = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(QUALIFIERS)}"
    deadline = deadline_text = deadline_precision = None
    if rng.random() < 1 / 3:
        deadline, deadline_text, deadline_precision = _deadline(rng, published)
    text = f"{names} should {action}" + (f", {deadline_text}." if deadline else ".")
    short_text = f"{names} should {action}." if deadline and rng.random() < 0.5 else ""
    chapter = rng.choice(chapters) if rng.random() < 0.9 else ""
    conflict = None
    if deadline and rng.random() < 0.05:
        conflict = _month_end(deadline + datetime.timedelta(days=rng.randint(31, 200)))
    return (number, bodies, text, short_text, chapter, deadline, deadline_text, deadline_precision, conflict)


def _report_text(title: str, published: datetime.date, items: list[tuple]) -> tuple[list[str], dict[int, int], dict[int, int]]:
    """The report's lines, and the line of each recommendation in its summary and in its chapters."""
    lines = [title, f"Police and Crime Committee, {published:%B %Y}", "", "Summary of recommendations"]
    summary_line = {}
    for number, _b, text, *_rest in items:
        lines.append(f"Recommendation {number}: {text}")
        summary_line[number] = len(lines)
    lines += ["", "Chapters"]
    chapter_line = {}
    for number, _b, text, _s, _c, deadline, deadline_text, _p, conflict in items:
        if deadline:
            later = f"by {conflict:%B %Y}" if conflict else deadline_text
            lines.append(f"Recommendation {number}: {text.replace(deadline_text, later)}")
            chapter_line[number] = len(lines)
    return lines, summary_line, chapter_line


def _generate_reports(rng, tables, *, recommendations, prefix, anchor, committee, addressees, by_short) -> None:
    reports, documents, recs = tables[Report], tables[Document], tables[Recommendation]
    addressed, appearances = tables[Recommendation.addressees.through], tables[RecommendationAppearance]
    responses, commitments = tables[Response], tables[Commitment]
    owners = [by_short["MOPAC"], by_short["Met"], by_short["Mayor"]]
    mayor = by_short["Mayor"]
    remaining, index = recommendations, 0
    while remaining:
        size = rng.randint(5, 25)
        size = remaining if remaining <= 25 else min(size, remaining - 5)
        remaining -= size
        index += 1
        topic = rng.choice(TOPICS)
        published = anchor - datetime.timedelta(days=rng.randint(10, 20 * 365))
        precision = DatePrecision.DAY
        if rng.random() < 0.1:
            published, precision = _month_end(published), DatePrecision.MONTH
        title = f"{topic}: report {index}"
        override = {}
        if rng.random() < 0.02:
            override = {
                "response_due_override": published + datetime.timedelta(days=120),
                "response_due_override_reason": "The Committee agreed a later date with the Mayor's office.",
            }
        report_id = reports.add(
            slug=f"{prefix}-{index}", title=title, committee_id=committee.pk, chair="Synthetic Chair",
            published=published, published_precision=precision, **override,
        )
        chapters = [f"{rng.choice(CHAPTER_LEADS)}: {topic}", rng.choice(TOPICS)]

        # The report's recommendations, its summary list (every one) and chapter copies (those with a deadline).
        items = [_report_item(rng, number, addressees, chapters, published) for number in range(1, size + 1)]
        lines, summary_line, chapter_line = _report_text(title, published, items)
        document_id = documents.add(
            kind=Document.Kind.COMMITTEE_REPORT, title=title, author_organisation_id=committee.pk,
            date=published, date_precision=precision, source_file=f"synthetic/{prefix}-{index}.txt",
            sha256=_sha(prefix, "report", index), text="\n".join(lines), report_id=report_id,
        )
        rec_ids = {}
        for number, bodies, text, short_text, chapter, deadline, deadline_text, deadline_precision, conflict in items:
            rec_id = recs.add(
                report_id=report_id, number=number, text=text, short_text=short_text, chapter=chapter,
                deadline=deadline, deadline_text=deadline_text or "", deadline_precision=deadline_precision or "",
                made_in_id=document_id,
            )
            rec_ids[number] = rec_id
            for body in bodies:
                addressed.add(recommendation_id=rec_id, organisation_id=body.pk)
            appearances.add(
                recommendation_id=rec_id, document_id=document_id, section=RecommendationAppearance.Section.SUMMARY,
                line=summary_line[number], text=text, deadline=deadline, deadline_text=deadline_text or "",
                deadline_precision=deadline_precision or "",
            )
            if deadline:
                later_text = f"by {conflict:%B %Y}" if conflict else deadline_text
                appearances.add(
                    recommendation_id=rec_id, document_id=document_id, section=RecommendationAppearance.Section.CHAPTER,
                    line=chapter_line[number], text=text.replace(deadline_text, later_text),
                    deadline=conflict or deadline, deadline_text=later_text,
                    deadline_precision=DatePrecision.MONTH if conflict else deadline_precision,
                )

        # The Mayor's reply: most reports get one letter, answering most of their recommendations.
        if published > anchor - datetime.timedelta(days=30) or rng.random() >= 0.8:
            continue
        received = min(published + datetime.timedelta(days=rng.randint(20, 300)), anchor - datetime.timedelta(days=1))
        answered = [item for item in items if rng.random() < 0.875]
        lines = ["Dear Chair,", f"Thank you for the Committee's report {title}.", ""]
        replies = []
        for number, bodies, *_rest in answered:
            lines.append(f"Recommendation {number}")
            opening = rng.choice(REPLY_OPENINGS)
            reply = f"{opening} {rng.choice(REPLY_BODIES)} {rng.choice(WHEN_WORDS)}."
            lines.append(reply)
            replies.append((number, bodies, reply, len(lines), opening))
        letter_id = documents.add(
            kind=Document.Kind.RESPONSE_LETTER, title=f"Mayor's response to {title}", author_organisation_id=mayor.pk,
            author_person="Synthetic Mayor", recipient_organisation_id=committee.pk, date=received,
            date_precision=DatePrecision.DAY, reference=f"MGLA{received:%d%m%y}-{index}",
            source_file=f"synthetic/{prefix}-{index}-response.txt", sha256=_sha(prefix, "letter", index),
            text="\n".join(lines), report_id=report_id,
        )
        position = 0
        for number, bodies, reply, line, _opening in replies:
            assessment = rng.choices(
                ["accepted", "partially_accepted", "not_accepted", "noted", "not_assessed"], weights=[40, 20, 10, 15, 15]
            )[0]
            status = rng.choices(
                ["open", "in_progress", "implemented", "not_implemented", "superseded"], weights=[50, 25, 15, 5, 5]
            )[0]
            response_id = responses.add(
                recommendation_id=rec_ids[number], letter_id=letter_id, text=reply, date_received=received, line=line,
                assessment=assessment, implementation_status=status,
                implementation_evidence="" if status in ("open", "in_progress") else f"Update received {received:%B %Y}.",
            )
            if rng.random() < 0.25:
                position += 1
                due, due_text, due_precision = _deadline(rng, received - datetime.timedelta(days=40))
                owner = next((b for b in bodies if b in owners), rng.choice(owners))
                commitments.add(
                    response_id=response_id, document_id=letter_id, owner_id=owner.pk, text=reply,
                    due_date=due, due_text=due_text, due_precision=due_precision, position=position,
                    status=rng.choices(["open", "done", "dropped", "superseded"], weights=[70, 20, 5, 5])[0],
                )


def _generate_consultations(rng, tables, *, recommendations, prefix, anchor, consultees) -> None:
    consultations, documents = tables[Consultation], tables[Document]
    submissions, asks = tables[Submission], tables[Ask]
    total = max(1, recommendations // 250)
    how_many = max(1, recommendations // 50_000)
    for c in range(how_many):
        share = total // how_many + (1 if c < total % how_many else 0)
        title = f"Police and Crime Plan consultation {c + 1}"
        consultation_id = consultations.add(slug=f"{prefix}-consultation-{c + 1}", title=title)
        date = anchor - datetime.timedelta(days=rng.randint(30, 3000))
        lines, parts = [title, ""], []
        for _ in range(share):
            organisation = rng.choice(consultees) if rng.random() < 0.6 else None
            person = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            start = len(lines) + 1
            lines += [f"From: {person}", f"Subject: Response to the {title}"]
            wanted = rng.sample(ASK_TEXTS, rng.randint(1, 4))
            ask_lines = []
            for text in wanted:
                lines.append(f"- {text}")
                ask_lines.append((text, len(lines)))
            lines.append("")
            parts.append((organisation, person, start, len(lines), ask_lines))
        document_id = documents.add(
            kind=Document.Kind.CONSULTATION_COMPILATION, title=f"Responses to the {title}", date=date,
            date_precision=DatePrecision.DAY, source_file=f"synthetic/{prefix}-consultation-{c + 1}.txt",
            sha256=_sha(prefix, "consultation", c), text="\n".join(lines),
        )
        for organisation, person, start, end, ask_lines in parts:
            submission_id = submissions.add(
                consultation_id=consultation_id, document_id=document_id, respondent=person,
                organisation_id=organisation.pk if organisation else None,
                respondent_kind=organisation.kind if organisation else Organisation.Kind.PUBLIC,
                label=str(organisation or person), date=date, date_precision=DatePrecision.DAY,
                subject=f"Response to the {title}", text="\n".join(lines[start - 1 : end]), start_line=start, end_line=end,
            )
            for number, (text, line) in enumerate(ask_lines, start=1):
                asks.add(submission_id=submission_id, number=number, text=text, line=line)


def _generate_subscribers(rng, tables, *, count, prefix, by_short) -> None:
    users, subscriptions = tables[get_user_model()], tables[DigestSubscription]
    narrowed = tables[DigestSubscription.organisations.through]
    bodies = [by_short["Mayor"], by_short["MOPAC"], by_short["Met"]]
    for i in range(1, count + 1):
        user_id = users.add(
            password="!synthetic", username=f"{prefix}-subscriber-{i}", email=f"subscriber{i}@{prefix}.example.org",
            first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(LAST_NAMES), is_superuser=False, is_staff=False,
            is_active=True, date_joined=STAMP,
        )
        subscribed = rng.random() < 0.95
        subscription_id = subscriptions.add(
            user_id=user_id, subscribed=subscribed, unsubscribed_at=None if subscribed else STAMP,
        )
        if rng.random() < 0.25:
            for org in rng.sample(bodies, rng.randint(1, 2)):
                narrowed.add(digestsubscription_id=subscription_id, organisation_id=org.pk)


__all__ = ["DEFAULT_ANCHOR", "SyntheticDataset", "synthetic_dataset_generate"]
