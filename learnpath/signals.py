"""Signals that let one feature react to another without importing its internals."""

from blinker import Namespace

_signals = Namespace()

# Sent by modules.services.complete_module with sender=user, module=module, created=bool.
module_completed = _signals.signal("module-completed")
# Sent by modules.services.submit_quiz with sender=user, version=..., result=QuizResult.
quiz_answered = _signals.signal("quiz-answered")
# Sent by paths.enrolments with sender=user (the learner), enrolment=...
path_enrolled = _signals.signal("path-enrolled")
path_completed = _signals.signal("path-completed")
# Sent by modules.services.unpublish and archive with sender=module: it no longer counts as a
# step of a path, so a path may now be complete for people who did all the other steps.
module_withdrawn = _signals.signal("module-withdrawn")
