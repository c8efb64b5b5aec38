from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class GuidanceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


def lines_of(text: str) -> list[str]:
    """The non-empty lines of a one-per-line text field, trimmed."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class Role(models.Model):
    slug = models.SlugField(unique=True, help_text="Used in addresses, e.g. /roles/coach/. Keep it stable.")
    name = models.CharField(max_length=40)
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Position in the comparison; ties in a recommendation follow it too."
    )
    published = models.BooleanField(default=True)
    tagline = models.CharField(max_length=200, help_text="The role in one line.")
    ideal_use = models.TextField(help_text="When this kind of helper serves best.")
    style = models.CharField(max_length=200, help_text="How they work, e.g. 'directive, long-term'.")
    sayings = models.TextField(help_text="Things such a person might say, one per line.")
    pitfall = models.TextField(help_text="What can go wrong in this kind of relationship.")
    learner_example = models.TextField(help_text="A situation where a learner would want this role.")
    faculty_example = models.TextField(help_text="A situation where a faculty member would want this role.")
    suggested_questions = models.TextField(
        help_text="Questions to ask a person you consider for this role, one per line. They prefill the worksheet."
    )

    objects = GuidanceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("roles:detail", args=[self.slug])

    def saying_list(self) -> list[str]:
        return lines_of(self.sayings)

    def question_list(self) -> list[str]:
        return lines_of(self.suggested_questions)


class Need(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=60)
    order = models.PositiveSmallIntegerField(default=0)
    published = models.BooleanField(default=True)
    summary = models.CharField(max_length=200, help_text="The need in a few words, shown beside the choice.")
    explanation = models.TextField(help_text="The need in plain words: how to recognise it.")
    sounds_like = models.CharField(max_length=300, help_text="What a person with this need might say to themselves.")

    objects = GuidanceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def main_role(self) -> "Role | None":
        rules = [r for r in self.rules.all() if r.role.published]
        rule = max(rules, key=lambda r: r.primary_points, default=None)
        return rule.role if rule and rule.primary_points > 0 else None


class NeedRule(models.Model):
    """Points a role earns when a need is named, as the main need or as another one."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="rules")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="need_rules")
    primary_points = models.SmallIntegerField(help_text="Points when this is the main need.")
    secondary_points = models.SmallIntegerField(help_text="Points when this is one of the other needs.")
    reason = models.CharField(
        max_length=300, help_text="Shown to the user, e.g. 'You need doors opened; a sponsor opens them.'"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["need__order", "-primary_points"]
        constraints = [models.UniqueConstraint(fields=["need", "role"], name="one_rule_per_need_and_role")]

    def __str__(self) -> str:
        return f"{self.need} → {self.role}"


class RefiningQuestion(models.Model):
    slug = models.SlugField(unique=True)
    text = models.CharField(max_length=200)
    help_text = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    published = models.BooleanField(default=True)

    objects = GuidanceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.text


class AnswerOption(models.Model):
    question = models.ForeignKey(RefiningQuestion, on_delete=models.CASCADE, related_name="options")
    slug = models.SlugField()
    label = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["question__order", "order"]
        constraints = [models.UniqueConstraint(fields=["question", "slug"], name="unique_option_per_question")]

    def __str__(self) -> str:
        return f"{self.question.slug}: {self.label}"


class AnswerRule(models.Model):
    """Points (possibly negative) a role earns when an answer is given."""

    option = models.ForeignKey(AnswerOption, on_delete=models.CASCADE, related_name="rules")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="answer_rules")
    points = models.SmallIntegerField()
    reason = models.CharField(
        max_length=300,
        help_text="Shown to the user. For negative points, write it as a warning that names the mismatch.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["option__question__order", "option__order", "-points"]
        constraints = [models.UniqueConstraint(fields=["option", "role"], name="one_rule_per_option_and_role")]

    def __str__(self) -> str:
        return f"{self.option} → {self.role} ({self.points:+d})"

    def clean(self):
        if self.points == 0:
            raise ValidationError({"points": "A rule of zero points changes nothing; delete it instead."})
