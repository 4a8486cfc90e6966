"""Signals that let one feature react to another without importing its internals.

A lower feature sends; a higher feature connects its receivers in its hooks.init_app, so the
lower one never imports the higher one (pyproject.toml's import contracts).

Every learning signal also carries `at`: the moment it happened, or None for now (history
written after the fact, like the demo's, passes a past moment).
"""

from blinker import Namespace

_signals = Namespace()

# Sent by modules.learning.complete_module with sender=user, module=module, created=bool.
module_completed = _signals.signal("module-completed")
# Sent by modules.learning.submit_quiz with sender=user, version=..., result=QuizResult.
quiz_answered = _signals.signal("quiz-answered")
# Sent by paths.enrolments with sender=user (the learner), enrolment=...
path_enrolled = _signals.signal("path-enrolled")
path_completed = _signals.signal("path-completed")
# Sent by modules.authoring.unpublish and archive with sender=module: it no longer counts as a
# step of a path, so a path may now be complete for people who did all the other steps.
module_withdrawn = _signals.signal("module-withdrawn")
# Sent by modules.services when it changes what learners may find (publish, unpublish, archive)
# with sender=module: the search feature queues the module for its index.
catalog_changed = _signals.signal("catalog-changed")
# Sent by skills.services when a skill is created, renamed or imported, with sender=None:
# modules marks the stored page data of its versions (skill names) stale.
skills_changed = _signals.signal("skills-changed")
# Sent by accounts (admin pages, CSV import) with sender=the person whose roles changed,
# actor=User or None, before=set, after=set, label="web" or "import": privacy's audit log
# records it.
roles_changed = _signals.signal("roles-changed")
# Sent by accounts (admin pages, CSV import, `learnpath users create`) with sender=the person,
# action (person_created, person_updated, person_deactivated, person_reactivated,
# teams_changed), actor=User or None, label ("web", "import", "cli") and details: privacy's
# audit log records it.
person_changed = _signals.signal("person-changed")
# Sent by accounts for sign-in events (invitations, password resets, single sign-on links,
# SCIM provisioning) with sender=the person concerned (or None), action=one of
# privacy.models.AUDIT_ACTIONS, actor=User or None, label="web", "cli", "self" or "scim",
# details=dict: privacy's audit log records it.
account_event = _signals.signal("account-event")
# Sent by reviews.services.answer with sender=user, card=ReviewCard, log=ReviewLog, module=,
# version= (the module's current version), position= (the question's, from 0) and at:
# engagement records it as an "answered" activity event with a review context (xAPI).
review_answered = _signals.signal("review-answered")
# Sent by paths' My skills page with sender=user; a receiver returns {skill slug: value with
# .value (0-1) and .word} to show beside each skill (reviews: how well it is retained).
skill_retention = _signals.signal("skill-retention")
