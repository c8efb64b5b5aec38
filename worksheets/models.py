from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from devboard.board.models import StaleEdit, VersionedModel
from roles import recommend
from roles.models import Need, RefiningQuestion, Role, lines_of
from roles.rules import load_rules

# The worksheet's steps, in order: (slug, label shown in the progress bar)
STEPS = [
    ("problem", "The problem"),
    ("outcome", "Ideal outcome"),
    ("need", "What I need"),
    ("refine", "A few questions"),
    ("recommendation", "Recommendation"),
    ("questions", "Questions to ask"),
    ("next", "Next step"),
]
STEP_SLUGS = [slug for slug, _ in STEPS]


class WorksheetQuerySet(models.QuerySet):
    def for_owner(self, user):
        """The only way to reach worksheets in a request: another person's are simply not there."""
        return self.filter(owner=user)

    def active(self):
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)

    def matching(self, text: str):
        """Worksheets whose title (or, untitled, whose problem: what the list shows) contains `text`."""
        if not text:
            return self
        return self.filter(models.Q(title__icontains=text) | models.Q(title="", problem__icontains=text))

    def section_counts(self) -> dict[str, int]:
        """How many drafts, completed and archived worksheets, in one query."""
        active = models.Q(archived_at__isnull=True)
        return self.aggregate(
            drafts=models.Count("pk", filter=active & models.Q(status=Worksheet.Status.DRAFT)),
            completed=models.Count("pk", filter=active & models.Q(status=Worksheet.Status.COMPLETED)),
            archived=models.Count("pk", filter=~active),
        )


class Worksheet(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETED = "completed", "Completed"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="worksheets")
    title = models.CharField(max_length=120, blank=True)
    problem = models.TextField(max_length=2000, blank=True)
    ideal_outcome = models.TextField(max_length=2000, blank=True)
    primary_need = models.ForeignKey(Need, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    other_needs = models.ManyToManyField(Need, blank=True, related_name="+")
    answers = models.JSONField(default=dict, blank=True)
    # What the recommendation showed when it was made; guidance edits never rewrite it.
    recommendation = models.JSONField(default=dict, blank=True)
    recommended_role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    chosen_role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    choice_warnings = models.JSONField(default=list, blank=True)
    questions_to_ask = models.TextField(max_length=3000, blank=True)
    next_step = models.TextField(max_length=1000, blank=True)
    next_step_due = models.DateField(null=True, blank=True)
    step = models.CharField(max_length=20, choices=STEPS, default="problem")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = WorksheetQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["owner", "-updated_at"]),
            # My worksheets: a page of drafts or completed ones, newest first, straight from the index
            # instead of reading and sorting all of them.
            models.Index(
                fields=["owner", "status", "-updated_at", "-id"],
                condition=models.Q(archived_at__isnull=True),
                name="worksheet_active_by_status",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title()

    def get_absolute_url(self) -> str:
        return reverse("worksheets:detail", args=[self.pk])

    def display_title(self) -> str:
        if self.title:
            return self.title
        if self.problem:
            words = self.problem.split()
            return " ".join(words[:8]) + ("…" if len(words) > 8 else "")
        return "Untitled worksheet"

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def step_index(self, slug: str | None = None) -> int:
        return STEP_SLUGS.index(slug or self.step)

    def reached(self, slug: str) -> bool:
        """A step can be opened once every step before it has been saved."""
        return self.is_completed or self.step_index(slug) <= self.step_index()

    def advance_past(self, slug: str) -> str | None:
        """Record that `slug` was saved; return the next step's slug (None after the last)."""
        i = self.step_index(slug)
        following = STEP_SLUGS[i + 1] if i + 1 < len(STEP_SLUGS) else None
        if following and not self.is_completed and self.step_index(following) > self.step_index():
            self.step = following
        return following

    def complete(self) -> None:
        if not self.is_completed:
            self.status = self.Status.COMPLETED
            self.completed_at = timezone.now()

    @staticmethod
    def step_after(slug: str) -> str | None:
        """The step that follows `slug`, skipping "A few questions" while none is published."""
        i = STEP_SLUGS.index(slug)
        following = STEP_SLUGS[i + 1] if i + 1 < len(STEP_SLUGS) else None
        if following == "refine" and not RefiningQuestion.objects.published().exists():
            following = "recommendation"
        return following

    def save_step(
        self,
        slug: str,
        *,
        expected_version: int | None = None,
        other_needs=None,
        previous_role_id: int | None = None,
    ) -> str | None:
        """Save the step `slug` whose answers are already on the worksheet; return the step to show next.

        `expected_version` is the version the step was opened at: if the worksheet was saved since
        (another tab, another device), nothing is written and StaleEdit is raised, since saving would
        put back the older text of every other step. None saves unconditionally (seeds, demo content).
        `other_needs` is given with the need step. `previous_role_id` is the chosen role before the
        recommendation step was answered: when the role changes and the questions were left as
        suggested, the new role's suggestions replace them.
        """
        questions_were_suggested = slug == "recommendation" and self._questions_suggested_for(previous_role_id)
        with transaction.atomic():
            if self.pk is not None and expected_version is not None:
                saved = Worksheet.objects.select_for_update().filter(pk=self.pk).values_list("version", flat=True)
                if saved.first() != expected_version:
                    raise StaleEdit
                self.version = expected_version + 1
            self.save()
            if other_needs is not None:
                self.other_needs.set(other_needs)
            if slug in ("need", "refine"):
                self._rerank()
            elif slug == "recommendation":
                self.refresh_choice_warnings()
                if self.questions_to_ask and questions_were_suggested and self.chosen_role_id != previous_role_id:
                    snapshot = self.chosen_snapshot()
                    self.questions_to_ask = "\n".join(snapshot["questions"]) if snapshot else ""
            following = self.step_after(slug)
            self.advance_past(slug)
            if following == "recommendation":
                self.advance_past("refine")
            if following is None:
                self.complete()
            self.save()
        return following

    def step_answers(self, slug: str) -> list[tuple[str, str]]:
        """What is saved for one step, as (label, text) pairs: shown beside a refused, stale save."""
        if slug == "problem":
            return [("Problem", self.problem), ("Title", self.title)]
        if slug == "outcome":
            return [("Ideal outcome", self.ideal_outcome)]
        if slug == "need":
            others = ", ".join(need.name for need in self.other_needs.all())
            return [("Main need", str(self.primary_need or "")), ("Other needs", others)]
        if slug == "refine":
            return [(item["question"], item["answer"]) for item in self.answer_labels()]
        if slug == "recommendation":
            return [("Chosen role", str(self.chosen_role or ""))]
        if slug == "questions":
            return [("Questions to ask", self.questions_to_ask)]
        due = f"{self.next_step_due:%-d %B %Y}" if self.next_step_due else ""
        return [("Next step", self.next_step), ("By when", due)]

    def _rerank(self) -> None:
        """Rank again after the need or the answers changed.

        A choice that followed the old recommendation follows the new one (with its suggested
        questions, if the old ones were left as suggested); a role chosen against the
        recommendation stays chosen, with its warnings brought up to date.
        """
        old_recommended, chosen = self.recommended_role_id, self.chosen_role_id
        questions_were_suggested = self._questions_suggested_for(chosen)
        self.refresh_recommendation()
        if chosen and chosen == old_recommended and self.recommended_role_id not in (None, chosen):
            self.choice_moved_from = self.chosen_role  # for the page to say so
            self.chosen_role = self.recommended_role
            self.refresh_choice_warnings()
            if self.questions_to_ask and questions_were_suggested:
                snapshot = self.chosen_snapshot()
                self.questions_to_ask = "\n".join(snapshot["questions"]) if snapshot else ""

    def _questions_suggested_for(self, role_id: int | None) -> bool:
        if not self.questions_to_ask:
            return True
        slug = Role.objects.filter(pk=role_id).values_list("slug", flat=True).first() if role_id else None
        entry = next((e for e in self.ranking() if e["role"] == slug), None)
        return bool(entry) and self.question_list() == entry["questions"]

    def duplicate(self) -> "Worksheet":
        """A draft copy with every answer, opened at the start; the original is untouched."""
        copy = Worksheet.objects.get(pk=self.pk)
        other_needs = list(self.other_needs.all())
        copy.pk = None
        copy.title = f"Copy of {self.display_title()}"[:120]
        copy.status = Worksheet.Status.DRAFT
        copy.step = STEP_SLUGS[-1] if self.is_completed else self.step
        copy.completed_at = copy.archived_at = None
        with transaction.atomic():
            copy.save()
            copy.other_needs.set(other_needs)
        return copy

    def archive(self) -> None:
        self.archived_at = timezone.now()
        self.save(update_fields=["archived_at", "updated_at"])

    def restore(self) -> None:
        self.archived_at = None
        self.save(update_fields=["archived_at", "updated_at"])

    def ranking(self) -> list[dict]:
        return self.recommendation.get("ranking", [])

    def top_role(self) -> dict | None:
        ranking = self.ranking()
        return ranking[0] if ranking else None

    def chosen_snapshot(self) -> dict | None:
        if self.chosen_role_id is None:
            return None
        for entry in self.ranking():
            if entry["role"] == self.chosen_role.slug:
                return entry
        return None

    def question_list(self) -> list[str]:
        return lines_of(self.questions_to_ask)

    def answer_labels(self) -> list[dict]:
        return self.recommendation.get("answers", [])

    def refresh_recommendation(self) -> None:
        """Rank the roles for the current answers and keep a snapshot of what was shown.

        Only the worksheet's own answers trigger this, so later edits to the guidance
        never rewrite a worksheet's history.
        """
        if self.primary_need_id is None:
            self.recommendation, self.recommended_role = {}, None
            return
        rules = load_rules()
        try:
            ranking = recommend.recommend(
                primary_need=self.primary_need.slug,
                other_needs=[n.slug for n in self.other_needs.all() if n.slug in rules.need_rules],
                answers=self.answers,
                rules=rules,
            )
        except recommend.NoNeedError:  # the need was unpublished since it was chosen: choose again
            self.recommendation, self.recommended_role = {}, None
            return
        roles = {r.slug: r for r in Role.objects.filter(slug__in=[r.role for r in ranking])}
        questions = RefiningQuestion.objects.prefetch_related("options").filter(slug__in=self.answers)
        answer_labels = []
        for question in questions:
            for option in question.options.all():
                if option.slug == self.answers[question.slug]:
                    answer_labels.append({"question": question.text, "answer": option.label})
        self.recommendation = {
            "made_at": timezone.now().isoformat(),
            "primary_need": self.primary_need.name,
            "other_needs": [n.name for n in self.other_needs.all()],
            "answers": answer_labels,
            "ranking": [
                {
                    "role": r.role,
                    "name": r.name,
                    "score": r.score,
                    "rank": r.rank,
                    "reasons": [{"points": x.points, "text": x.text} for x in r.reasons],
                    "main_need_points": r.main_need_points,
                    "tagline": roles[r.role].tagline,
                    "pitfall": roles[r.role].pitfall,
                    "sayings": roles[r.role].saying_list(),
                    "questions": roles[r.role].question_list(),
                    "warnings": recommend.mismatch_warnings(
                        chosen=r.role, primary_need=self.primary_need.slug, ranking=ranking, rules=rules
                    ),
                }
                for r in ranking
            ],
        }
        self.recommended_role = roles[ranking[0].role] if ranking else None
        self.refresh_choice_warnings()

    def refresh_choice_warnings(self) -> None:
        entry = self.chosen_snapshot()
        self.choice_warnings = entry["warnings"] if entry else []

    @classmethod
    def create_completed(
        cls,
        *,
        owner,
        primary_need: Need,
        other_needs=(),
        answers=None,
        role: Role | None = None,
        questions: str | None = None,
        next_step: str,
        next_step_due,
        **fields,
    ) -> "Worksheet":
        """A worksheet filled in to the end in one go (demo content, seeds and tests).

        Without a role, the recommended one is chosen; without questions, the chosen role's.
        """
        worksheet = cls.objects.create(owner=owner, primary_need=primary_need, answers=answers or {}, **fields)
        worksheet.other_needs.set(other_needs)
        worksheet.refresh_recommendation()
        worksheet.chosen_role = role or worksheet.recommended_role
        worksheet.refresh_choice_warnings()
        worksheet.questions_to_ask = (
            "\n".join(worksheet.chosen_snapshot()["questions"]) if questions is None else questions
        )
        worksheet.next_step, worksheet.next_step_due = next_step, next_step_due
        worksheet.step = STEP_SLUGS[-1]
        worksheet.complete()
        worksheet.save()
        return worksheet

    @property
    def chose_other_role(self) -> bool:
        return bool(
            self.chosen_role_id and self.recommended_role_id and self.chosen_role_id != self.recommended_role_id
        )


class ExampleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Example(models.Model):
    """A completed worksheet written for people to learn from; curated in the admin."""

    class Audience(models.TextChoices):
        LEARNER = "learner", "Learner"
        FACULTY = "faculty", "Faculty"

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=120)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    order = models.PositiveSmallIntegerField(default=0)
    published = models.BooleanField(default=True)
    person = models.CharField(max_length=200, help_text="Who is filling it in, e.g. 'A second-year resident'.")
    problem = models.TextField()
    ideal_outcome = models.TextField()
    primary_need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="+")
    other_needs = models.ManyToManyField(Need, blank=True, related_name="+")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="examples")
    reasoning = models.TextField(help_text="Why this role fits this need, in plain words.")
    questions_to_ask = models.TextField(help_text="One per line.")
    next_step = models.TextField()

    objects = ExampleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("worksheets:example", args=[self.slug])

    def question_list(self) -> list[str]:
        return lines_of(self.questions_to_ask)
