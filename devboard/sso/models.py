from django.conf import settings
from django.db import models
from django.utils import timezone


class Identity(models.Model):
    """One institutional sign-in linked to one devboard account.

    Keyed on the provider's stable identifier for the person (`issuer` + `subject`: OIDC's
    iss + sub, or SAML's IdP entity ID + eduPersonUniqueId / eduPersonPrincipalName /
    persistent NameID), never on email: addresses change and get reused.
    """

    class Protocol(models.TextChoices):
        OIDC = "oidc", "OpenID Connect"
        SAML = "saml", "SAML 2.0"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identities")
    protocol = models.CharField(max_length=4, choices=Protocol.choices)
    provider = models.CharField(max_length=60, help_text="The configured provider's short name.")
    provider_name = models.CharField(max_length=200, help_text="The institution, as its sign-in button names it.")
    issuer = models.CharField(max_length=500)
    subject = models.CharField(max_length=500)
    email = models.EmailField(blank=True, help_text="The address the institution last asserted.")
    linked_at = models.DateTimeField(default=timezone.now)
    last_sign_in = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["provider_name", "linked_at"]
        verbose_name_plural = "identities"
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="one_account_per_identity")]

    def __str__(self) -> str:
        return f"{self.provider_name}: {self.subject}"


class UsedAssertion(models.Model):
    """SAML assertions already consumed, kept until they expire, so none is accepted twice."""

    assertion_id = models.CharField(max_length=200, primary_key=True)
    not_on_or_after = models.DateTimeField()

    def __str__(self) -> str:
        return self.assertion_id

    @classmethod
    def consume(cls, assertion_id: str, not_on_or_after) -> bool:
        """Record the assertion; False when it was seen before."""
        cls.objects.filter(not_on_or_after__lt=timezone.now()).delete()
        _, created = cls.objects.get_or_create(assertion_id=assertion_id, defaults={"not_on_or_after": not_on_or_after})
        return created


class ProgramRule(models.Model):
    """An attribute value the institution asserts that makes a person a member of a program."""

    class Kind(models.TextChoices):
        LEARNER = "learner", "Learner"
        FACULTY = "faculty", "Faculty"

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="institution_rules")
    attribute = models.CharField(
        max_length=200,
        help_text='The claim or attribute to read, e.g. "groups", "department" or "eduPersonAffiliation".',
    )
    value = models.CharField(max_length=300, help_text='The value that grants membership, e.g. "im-residents".')
    kind = models.CharField(max_length=10, choices=Kind.choices, help_text="Member as a learner or as faculty.")

    class Meta:
        ordering = ["program", "attribute", "value"]
        constraints = [
            models.UniqueConstraint(fields=["program", "attribute", "value"], name="one_rule_per_attribute_value")
        ]

    def __str__(self) -> str:
        return f"{self.attribute} = {self.value} → {self.get_kind_display().lower()} of {self.program}"


class InstitutionMembership(models.Model):
    """Marks a program membership as asserted by the institution: it follows the attribute on each sign-in."""

    membership = models.OneToOneField("programs.Membership", on_delete=models.CASCADE, related_name="from_institution")
    since = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.membership} (from the institution)"
