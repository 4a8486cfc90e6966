"""Personal data of engagement: activity events, pulse answers and answers to an action plan's
"Did this help?" (detached on erasure, so team figures keep them without the person), kudos
(the text and the erased side go) and the action plans a manager made (the plan is the
team's: it stays, without its maker)."""

from sqlalchemy import or_, select, update

from learnpath.accounts.models import Team, User
from learnpath.engagement.models import (
    ActionPlan,
    ActionPlanAnswer,
    ActivityEvent,
    Kudos,
    PulseAnswer,
)
from learnpath.extensions import db
from learnpath.personal_data import KEPT, register_personal_data
from learnpath.timeutil import iso


def _export_events(user):
    rows = db.session.scalars(select(ActivityEvent).where(ActivityEvent.actor_id == user.id)
                              .order_by(ActivityEvent.timestamp, ActivityEvent.id))
    return [{"verb": e.verb, "object_type": e.object_type, "object_id": e.object_id,
             "result": {"score": e.result_score, "success": e.result_success,
                        "response": e.result_response},
             "context": e.context, "timestamp": iso(e.timestamp)} for e in rows]


def _erase_events(user):
    db.session.execute(update(ActivityEvent).where(ActivityEvent.actor_id == user.id)
                       .values(actor_id=None))


def _export_pulse(user):
    rows = db.session.scalars(select(PulseAnswer).where(PulseAnswer.user_id == user.id)
                              .order_by(PulseAnswer.answered_at))
    return [{"question": a.question, "period": a.period, "value": a.value,
             "answered_at": iso(a.answered_at)} for a in rows]


def _erase_pulse(user):
    db.session.execute(update(PulseAnswer).where(PulseAnswer.user_id == user.id)
                       .values(user_id=None))


def _export_kudos(user):
    giver = db.aliased(User)
    receiver = db.aliased(User)
    rows = db.session.execute(
        select(Kudos, giver.display_name, receiver.display_name)
        .outerjoin(giver, giver.id == Kudos.from_id)
        .outerjoin(receiver, receiver.id == Kudos.to_id)
        .where(or_(Kudos.from_id == user.id, Kudos.to_id == user.id))
        .order_by(Kudos.created_at, Kudos.id))
    given, received = [], []
    for kudos, from_name, to_name in rows:
        item = {"message": kudos.message, "created_at": iso(kudos.created_at)}
        if kudos.from_id == user.id:
            given.append({"to": to_name, **item})
        else:
            received.append({"from": from_name, **item})
    return {"given": given, "received": received}


def _erase_kudos(user):
    # The other person keeps the fact (their Recognition), not the text nor who it was.
    db.session.execute(update(Kudos).where(Kudos.from_id == user.id)
                       .values(message="", from_id=None))
    db.session.execute(update(Kudos).where(Kudos.to_id == user.id)
                       .values(message="", to_id=None))


FOLLOW_UP_ANSWERS = {0: "no", 1: "a little", 2: "yes"}


def _export_plans(user):
    rows = db.session.execute(
        select(ActionPlan, Team.name).outerjoin(Team, Team.id == ActionPlan.team_id)
        .where(ActionPlan.created_by_id == user.id).order_by(ActionPlan.created_at))
    return [{"team": name, "month": plan.month, "focus": plan.focus, "actions": plan.actions,
             "created_at": iso(plan.created_at)} for plan, name in rows]


def _erase_plans(user):
    db.session.execute(update(ActionPlan).where(ActionPlan.created_by_id == user.id)
                       .values(created_by_id=None))


def _export_plan_answers(user):
    rows = db.session.execute(
        select(ActionPlanAnswer, ActionPlan, Team.name)
        .join(ActionPlan, ActionPlan.id == ActionPlanAnswer.plan_id)
        .outerjoin(Team, Team.id == ActionPlan.team_id)
        .where(ActionPlanAnswer.user_id == user.id).order_by(ActionPlanAnswer.answered_at))
    return [{"team": name, "month": plan.month, "focus": plan.focus,
             "did_it_help": FOLLOW_UP_ANSWERS[answer.value],
             "answered_at": iso(answer.answered_at)} for answer, plan, name in rows]


def _erase_plan_answers(user):
    db.session.execute(update(ActionPlanAnswer).where(ActionPlanAnswer.user_id == user.id)
                       .values(user_id=None))


def register() -> None:
    """Declare this feature's personal data (called from hooks.init_app)."""
    register_personal_data(ActivityEvent, export=_export_events, erase=_erase_events,
                           retention="retention period (LEARNPATH_RETENTION_MONTHS)",
                           section="activity_events")
    register_personal_data(PulseAnswer, export=_export_pulse, erase=_erase_pulse,
                           retention="retention period (LEARNPATH_RETENTION_MONTHS)",
                           section="pulse_answers")
    register_personal_data(Kudos, export=_export_kudos, erase=_erase_kudos, retention=KEPT,
                           section="kudos")
    register_personal_data(ActionPlan, export=_export_plans, erase=_erase_plans,
                           retention=KEPT, section="action_plans_made")
    register_personal_data(ActionPlanAnswer, export=_export_plan_answers,
                           erase=_erase_plan_answers,
                           retention="kept with the team's plan; the link to the person is "
                                     "removed after the retention period "
                                     "(LEARNPATH_RETENTION_MONTHS)",
                           section="action_plan_answers")
