"""Forms for the board: they clean and normalise input; the models hold the rules."""

import datetime

from django import forms
from django.utils import timezone

from devboard.dates import SaneDates
from devboard.forms import DATE_HINT, ClearErrorsMixin, DayField, DayInput
from roles.models import Role
from worksheets.forms import LimitsStated

from .models import Agreement, BoardMember, CheckIn, Share

PERSON_MESSAGES = {
    "name": {"required": "Enter the person's name"},
    "email": {"invalid": "Enter their email address in the right form, like name@example.org"},
}


class VersionField(forms.IntegerField):
    """The version the form was opened at, sent back so a stale save can be refused."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=0, **kwargs)


class RolesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "One person can hold more than one role for you, e.g. mentor and sponsor.")
        kwargs.setdefault("error_messages", {"required": "Choose at least one role they hold for you"})
        super().__init__(queryset=Role.objects.published(), **kwargs)


class MemberForm(LimitsStated, SaneDates, ClearErrorsMixin, forms.ModelForm):
    """Adding a person asks only what adding needs: who, in which roles, and whether they help already.

    Title, institution and how we know each other can be filled in later from "Edit details".
    """

    STARTING_STATUSES = [
        (BoardMember.Status.PROSPECTIVE, "Not yet: I am thinking of asking them"),
        (BoardMember.Status.ACTIVE, "Yes, they already help me"),
    ]

    roles = RolesField(
        label="The roles they hold for me",
        error_messages={"required": "Choose at least one role: which kind of help do you want from them?"},
    )
    status = forms.ChoiceField(
        label="Do they already help you?",
        choices=STARTING_STATUSES,
        initial=BoardMember.Status.PROSPECTIVE,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they already help you or you are thinking of asking them."},
    )

    class Meta:
        model = BoardMember
        fields = ["name", "email"]
        help_texts = {"email": "Optional. With it, the board can start an email to them for you."}
        error_messages = {
            "name": {"required": "Enter their name, as you would address them."},
            "email": {"invalid": "Enter an email address like name@example.org, or leave it empty."},
        }


class MemberEditForm(LimitsStated, SaneDates, ClearErrorsMixin, forms.ModelForm):
    """Editing who they are and the roles they hold; status changes have their own buttons."""

    roles = RolesField(label="The roles they hold for me")
    version = VersionField()

    class Meta:
        model = BoardMember
        fields = ["name", "email", "title", "institution", "connection"]
        widgets = {"connection": forms.Textarea(attrs={"rows": 3})}
        error_messages = PERSON_MESSAGES

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.is_concluded:
            # A concluded relationship keeps the roles it had; only the contact details change.
            del self.fields["roles"]
        elif not self.is_bound:
            self.initial["roles"] = [role.pk for role in self.instance.current_roles()]
        if not self.is_bound:
            self.initial["version"] = self.instance.version


class AgreementForm(LimitsStated, SaneDates, ClearErrorsMixin, forms.ModelForm):
    version = VersionField()

    class Meta:
        model = Agreement
        fields = Agreement.EDITABLE
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 3}),
            "i_bring": forms.Textarea(attrs={"rows": 3}),
            "i_need": forms.Textarea(attrs={"rows": 3}),
            "done_when": forms.Textarea(attrs={"rows": 2}),
            "revisit_on": DayInput(),
        }
        field_classes = {"revisit_on": DayField}
        error_messages = {"cadence": {"required": "Choose how often you meet"}}
        help_texts = {
            "goals": "What this relationship is for, in a sentence or two each.",
            "i_bring": "E.g. I come with an agenda, I follow up on what we agree, I keep what we say private.",
            "i_need": "E.g. honest feedback on drafts, an introduction, an hour every month.",
            "cadence": "The next check-in date follows from this unless you set one by hand.",
            "revisit_on": (
                "A date to look at the goals together again; the board reminds you. "
                f"After revisiting, set the next one. {DATE_HINT}."
            ),
            "done_when": "Agreeing on this early makes the closing conversation easier later.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version


class CheckInForm(LimitsStated, SaneDates, ClearErrorsMixin, forms.ModelForm):
    next_check_in_on = DayField(
        label="Next check-in (optional)",
        required=False,
        help_text=f"Leave it empty and the date follows from the agreed cadence. {DATE_HINT}.",
    )

    class Meta:
        model = CheckIn
        fields = ["held_on", "format", "discussed", "my_next_step"]
        widgets = {
            "held_on": DayInput(),
            "discussed": forms.Textarea(attrs={"rows": 4}),
            "my_next_step": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"held_on": DayField}
        help_texts = {"held_on": f"When you met. {DATE_HINT}."}
        error_messages = {
            "held_on": {"required": "Enter the date you met"},
            "format": {"required": "Choose how you met"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())

    def clean_held_on(self) -> datetime.date:
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError("Log a check-in once it has happened; the date cannot be in the future.")
        return held_on

    def clean(self):
        data = super().clean()
        held_on, next_on = data.get("held_on"), data.get("next_check_in_on")
        if held_on and next_on and next_on <= held_on:
            self.add_error("next_check_in_on", "The next check-in comes after this one.")
        return data


class NextCheckInForm(SaneDates, ClearErrorsMixin, forms.Form):
    next_check_in_on = DayField(
        label="Next check-in",
        required=False,
        help_text=f"Empty it to go back to the date the cadence gives. {DATE_HINT}.",
    )


class StatusForm(ClearErrorsMixin, forms.Form):
    status = forms.ChoiceField(choices=BoardMember.Status.choices)

    def __init__(self, *args, member: BoardMember, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, BoardMember.Status(s).label) for s in member.allowed_transitions()]


class ConcludeForm(LimitsStated, SaneDates, ClearErrorsMixin, forms.Form):
    signs = forms.MultipleChoiceField(
        label="Which signs do you see?",
        choices=BoardMember.Sign.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    afterwards = forms.ChoiceField(
        label="From now on, they stay on my record as",
        choices=BoardMember.Afterwards.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how they stay on your record: as a peer or a former colleague"},
    )
    concluded_on = DayField(
        label="Date the relationship closed",
        error_messages={"required": "Enter the date the relationship closed"},
    )
    note = forms.CharField(
        label="A note for yourself (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you said in the closing conversation, what you would do differently.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("concluded_on", timezone.localdate())

    def clean_concluded_on(self) -> datetime.date:
        day = self.cleaned_data["concluded_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Close it on or before today.")
        return day


class ShareForm(forms.Form):
    member = forms.ModelChoiceField(
        queryset=BoardMember.objects.none(),
        label="Who is it for?",
        empty_label="Choose a person",
        error_messages={"required": "Choose the person on your board this link is for."},
    )
    days = forms.TypedChoiceField(
        label="The link works for",
        choices=Share.Length.choices,
        coerce=int,
        initial=Share.Length.MONTH,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how long the link works."},
    )
    with_agreement = forms.BooleanField(
        label="Include what we agreed (our agreement), if there is one",
        required=False,
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = BoardMember.objects.for_owner(owner).current()


class LinkMemberForm(forms.Form):
    member = forms.ModelChoiceField(
        queryset=BoardMember.objects.none(),
        label="Someone already on my board",
        empty_label="Choose a person",
        error_messages={"required": "Choose a person from your board"},
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = BoardMember.objects.for_owner(owner).current()
