"""Every write of local collaboration (SPEC §6), as other apps and the tests call them.

The services live with their feature (`colocation`, `forums`, `plans`,
`indicators`); each is one transaction, a right (`collaboration.access`) and an
audit entry, and refuses with the core errors (`samverkan.core.errors`).
"""

from samverkan.collaboration.colocation.services import (
    colocation_change,
    colocation_create,
    consultation_record,
    serious_talk_record,
    training_record,
)
from samverkan.collaboration.common.services import PersonalDataFound, guard_text
from samverkan.collaboration.forums.services import (
    DecisionInput,
    MeetingInput,
    forum_create,
    forum_update,
    meeting_record,
    meeting_update,
)
from samverkan.collaboration.indicators.services import indicator_create, indicator_value_enter
from samverkan.collaboration.plans.services import (
    action_plan_create,
    activity_add,
    activity_update,
    contribution_add,
    situational_picture_create,
    situational_picture_refresh,
)

__all__ = [
    "DecisionInput",
    "MeetingInput",
    "PersonalDataFound",
    "action_plan_create",
    "activity_add",
    "activity_update",
    "colocation_change",
    "colocation_create",
    "consultation_record",
    "contribution_add",
    "forum_create",
    "forum_update",
    "guard_text",
    "indicator_create",
    "indicator_value_enter",
    "meeting_record",
    "meeting_update",
    "serious_talk_record",
    "situational_picture_create",
    "situational_picture_refresh",
    "training_record",
]
