"""Every action the audit log records, by name. Services write these constants, never a
literal, so the log can be filtered and searched reliably and a typo cannot invent a new
action."""
from enum import StrEnum


class Action(StrEnum):
    # Intake
    PROCUREMENT_REPORTED = "procurement.reported"
    INITIATIVE_REPORTED = "initiative.reported"
    INVITATIONS_SENT = "invitations.sent"
    INVITATION_JOINED = "invitation.joined"
    INVITATION_DECLINED = "invitation.declined"
    COST_SHARES_SET = "cost_shares.set"
    # Phases (the names of the state machine's transitions)
    PROCUREMENT_START = "procurement.start"
    PROCUREMENT_COMPLETE_PHASE = "procurement.complete_phase"
    PROCUREMENT_REOPEN = "procurement.reopen"
    PROCUREMENT_CLOSE = "procurement.close"
    PROCUREMENT_CANCEL = "procurement.cancel"
    PROCUREMENT_CHANGED = "procurement.changed"
    TRANSITION_REFUSED = "procurement.transition_refused"
    # Deliverables, checklist, documents
    DELIVERABLE_UPLOADED = "deliverable.uploaded"
    DELIVERABLE_DOWNLOADED = "deliverable.downloaded"
    DELIVERABLE_UPLOAD_REFUSED = "deliverable.upload_refused"
    DOWNLOAD_REFUSED = "deliverable.download_refused"
    BENEFIT_PLAN_DOWNLOADED = "benefit_plan.downloaded"
    CHECKLIST_CHECKED = "checklist.checked"
    CHECKLIST_UNCHECKED = "checklist.unchecked"
    PRINT_SIGNOFF_RECORD = "print.signoff_record"
    # Sign-offs
    SIGNOFF_APPROVE = "signoff.approve"
    SIGNOFF_REJECT = "signoff.reject"
    SIGNOFF_REFUSED = "signoff.refused"
    SIGNATURES_VOIDED = "signoff.voided"
    # Deadlines
    DEADLINE_ADDED = "deadline.added"
    DEADLINE_COMPLETED = "deadline.completed"
    DEADLINE_REMOVED = "deadline.removed"
    DEADLINE_CHANGED = "deadline.changed"
    # Award notice and complaints
    AWARD_NOTICE_SENT = "award_notice.sent"
    AWARD_NOTICE_WITHDRAWN = "award_notice.withdrawn"
    COMPLAINT_REGISTERED = "complaint.registered"
    COMPLAINT_RESOLVED = "complaint.resolved"
    STANDSTILL_MINIMUM_SAVED = "standstill_minimum.saved"
    # Meetings and minutes
    MEETING_PLANNED = "meeting.planned"
    MINUTES_SENT = "minutes.sent"
    MINUTES_REVISED = "minutes.revised"
    MINUTES_CORRECTED = "minutes.corrected"
    MINUTES_APPROVED = "minutes.approved"
    MINUTES_DEEMED_APPROVED = "minutes.deemed_approved"
    # People, roles, collaborations
    ROLE_ASSIGNED = "role.assigned"
    ROLE_REVOKED = "role.revoked"
    ROLE_CHANGED = "role.changed"
    PERSON_SAVED = "person.saved"
    COLLABORATION_SAVED = "collaboration.saved"
    MUNICIPALITY_SAVED = "municipality.saved"
    MEMBERSHIP_SAVED = "membership.saved"
    MEMBERSHIP_DELETED = "membership.deleted"
    BODY_SAVED = "body.saved"
    BODY_DELETED = "body.deleted"
    LOGIN_FAILED = "login.failed"
    # Process templates
    PROCESS_DRAFT_CREATED = "process.draft_created"
    PROCESS_PUBLISHED = "process.published"
    PROCESS_ROW_ADDED = "process.row_added"
    PROCESS_ROW_CHANGED = "process.row_changed"
    PROCESS_ROW_DELETED = "process.row_deleted"
