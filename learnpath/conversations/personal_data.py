"""The check-ins' place in the personal-data registry (export and erasure)."""

from learnpath.conversations import services
from learnpath.conversations.models import CheckIn, CheckInEntry
from learnpath.personal_data import register_personal_data


def register() -> None:
    register_personal_data(
        CheckIn, export=services.for_export, erase=services.erase,
        retention="kept while both accounts exist; erasure removes the person from them",
        section="check_ins")
    register_personal_data(
        CheckInEntry, export=services.entries_for_export, erase=services.erase_entries,
        retention="kept with the check-in; private notes are deleted when their writer is erased",
        section="check_in_entries", order=90)
