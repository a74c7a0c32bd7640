from datetime import datetime, timedelta

from odoo import SUPERUSER_ID, api, fields, models, _
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html2plaintext, html_escape

TICKET_STATES = [
    ("new", "New"),
    ("triage", "Triage"),
    ("remote_solved", "Solved Remotely"),
    ("dispatched", "Dispatched"),
    ("on_site", "On Site"),
    ("done", "Done"),
    ("confirmed", "Confirmed by Customer"),
    ("closed", "Closed"),
    ("cancel", "Cancelled"),
]
OPEN_STATES = ("new", "triage", "remote_solved", "dispatched", "on_site", "done", "confirmed")

# The one table of the stage flow (R: S2-S4): step -> (states it may start from, state it leads to).
# A target of None means the step is recorded without changing the stage.
TICKET_TRANSITIONS = {
    "triage": (("new",), "triage"),
    "answer": (("triage",), None),
    "solve_remotely": (("triage",), "remote_solved"),
    "dispatch": (("triage",), "dispatched"),
    "reschedule": (("dispatched",), None),
    "no_show": (("dispatched",), None),
    "arrive": (("dispatched",), "on_site"),
    "done": (("on_site",), "done"),
    "customer_confirm": (("done", "remote_solved"), "confirmed"),
    "close": (("confirmed",), "closed"),
    "cancel": (OPEN_STATES, "cancel"),
    "reset": (("cancel",), "new"),
}

# Roles (issue 13): the group that owns each step; the manager implies the three others.
STAFF = "aftersales_base.group_aftersales_user"
HOTLINE = "aftersales_base.group_aftersales_hotline"
ENGINEER = "aftersales_base.group_aftersales_engineer"
QUALITY = "aftersales_base.group_aftersales_quality"
MANAGER = "aftersales_base.group_aftersales_manager"

# What the workflow guard protects (issue 13; R: S2-S4, S16, K3, K5). Addons that add stored
# fields to the ticket extend these tuples in their own class.
TICKET_OWNED_FIELDS = (
    # the stage, and who is sent on site: only the steps (buttons) write them
    "name", "state", "engineer_id", "cancel_reason",
    # dates and results that feed the timeliness KPIs, stamped by the server
    "date_reported", "answer_deadline", "answer_promised_by_hand", "answered_date",
    "is_answered", "answer_on_time",
    "appointment_date", "arrival_deadline", "arrival_date", "arrival_on_time", "no_show_count",
    # the customer's authorisation of a remote session (R: S1)
    "remote_authorized", "remote_authorized_date",
    # the repair notices of the ticket are made by their own flow
    "repair_notice_ids",
    # the portal form a customer's request came from (one request per form sent)
    "portal_form_token",
)
TICKET_EDITABLE_FIELDS = (
    "company_id", "channel", "title", "partner_id", "contact_id", "archive_id", "description",
    "category_id", "priority", "user_id", "lateness_reason", "remote_authorized_by_id",
    "site_address", "contact_phone", "outcome", "is_complaint", "root_cause",
    "preventive_action", "is_suggestion", "forward_user_id", "team_id",
)
# notes that may still be completed once the request is closed or cancelled
TICKET_FREE_FIELDS = ("analysis", "outcome_notes")



def arrived_on_time(arrival, appointment):
    """R: S4, K5 - the one rule of punctuality, for the ticket, its service record and the
    KPI: the engineer is on time when he arrives by the agreed appointment ("arrive before
    it"). Without an appointment nothing was promised."""
    return not appointment or arrival <= appointment


def answered_on_time(answered, deadline):
    """R: S2, K3 - the one rule of the answer: by the promised time, counted from the report."""
    return not deadline or answered <= deadline


# An appointment is agreed for now or later: this much in the past is still "now" (the time it
# takes to fill the dispatch form); and no further ahead than a year.
APPOINTMENT_GRACE = timedelta(minutes=15)
APPOINTMENT_HORIZON = timedelta(days=366)


class AftersalesTicket(models.Model):
    """The service request (售后服务申请单). R: S1-S4, S9, S10, S15-S17."""

    _name = "aftersales.ticket"
    _description = "Service Request"
    _inherit = ["aftersales.guard.mixin", "aftersales.sequence.mixin", "mail.thread",
                "mail.activity.mixin", "portal.mixin", "aftersales.customer.document.mixin"]
    _order = "priority desc, date_reported desc, id desc"
    _sql_constraints = [
        ("portal_form_token_unique", "unique(portal_form_token)",
         "This form has already been sent: its request exists."),
    ]

    _guard_owned_fields = TICKET_OWNED_FIELDS
    _guard_editable_fields = TICKET_EDITABLE_FIELDS
    _guard_free_fields = TICKET_FREE_FIELDS
    _guard_open_states = OPEN_STATES
    _guard_locked_states = ("closed", "cancel")
    # R: S16 - the complaint analysis belongs to quality
    _guard_field_roles = {"root_cause": (QUALITY,), "preventive_action": (QUALITY,)}

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id, index=True)
    state = fields.Selection(
        TICKET_STATES, string="Stage", default="new", required=True, readonly=True, copy=False,
        index=True, track_visibility="onchange")
    # Report (R: S1, S9)
    portal_form_token = fields.Char(
        string="Portal Form", readonly=True, copy=False, groups=STAFF,
        help="The customer portal's form this request was sent with: a form sent twice "
             "(a double click, a reload) gives one request.")
    channel = fields.Selection(
        [("phone", "Phone"), ("fax", "Fax"), ("email", "E-mail"), ("website", "Website"),
         ("remote", "Remote Service"), ("portal", "Customer Portal"), ("visit", "On-site Visit")],
        required=True, default="phone", track_visibility="onchange")
    hotline_greeting = fields.Text(string="Hotline Greeting", compute="_compute_hotline_greeting")
    date_reported = fields.Datetime(
        string="Reported On", required=True, default=fields.Datetime.now, index=True,
        readonly=True, copy=False,
        help="When the request was recorded, stamped by the server (R: K3).")
    title = fields.Char(string="Subject", track_visibility="onchange")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, track_visibility="onchange")
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", string="Customer Company", store=True,
        readonly=True, index=True)
    contact_id = fields.Many2one("res.partner", string="Contact")
    archive_id = fields.Many2one(
        "aftersales.archive", string="Unit", index=True, track_visibility="onchange")
    product_id = fields.Many2one(
        related="archive_id.product_id", string="Product", store=True, readonly=True)
    description = fields.Text(string="Symptom", required=True)
    # The service team's own view of the case: never shown to the customer (issue 14).
    analysis = fields.Text(string="Analysis", groups=STAFF,
                           help="Problem analysis by the service team (R: S9).")
    category_id = fields.Many2one("aftersales.ticket.category", string="Category", index=True)
    priority = fields.Selection(
        [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")],
        default="1", required=True, index=True, track_visibility="onchange")
    # People
    team_id = fields.Many2one(
        "aftersales.hotline.team", string="Hotline Team", index=True, groups=STAFF,
        default=lambda self: self._default_team(), track_visibility="onchange",
        help="The queue the request waits in until a member takes it.")
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self._default_user(),
        groups=STAFF, index=True, track_visibility="onchange",
        help="The hotline member who follows the request. A member takes it (assign to me); "
             "the team leader or a manager assigns it to others.")
    engineer_id = fields.Many2one(
        "res.users", string="Engineer", index=True, readonly=True, copy=False,
        track_visibility="onchange", help="Assigned when the request is dispatched (R: S3).")
    # Timeliness (R: S2, S3, K3, K5)
    answer_deadline = fields.Datetime(
        string="Answer Promised By", readonly=True, copy=False,
        help="From the report and the hours of the priority, unless the hotline promised the "
             "customer another time (R: S2, K3).")
    answer_promised_by_hand = fields.Boolean(
        string="Answer Time Promised by the Hotline", readonly=True, copy=False)
    answered_date = fields.Datetime(
        string="Answered On", readonly=True, copy=False,
        help="Stamped by the server when the answer is recorded (R: K3).")
    is_answered = fields.Boolean(string="Answered", readonly=True, copy=False)
    answer_on_time = fields.Boolean(string="Answered on Time", readonly=True, copy=False)
    arrival_deadline = fields.Datetime(string="Arrival Promised By", readonly=True, copy=False)
    arrival_date = fields.Datetime(
        string="Arrived On", readonly=True, copy=False,
        help="Stamped by the server when the engineer records the arrival (R: K5).")
    arrival_on_time = fields.Boolean(string="Arrived on Time", readonly=True, copy=False)
    is_late = fields.Boolean(
        string="Late", compute="_compute_is_late", search="_search_is_late",
        help="The promised answer or arrival time has passed and nothing was recorded yet.")
    lateness_reason = fields.Text(
        string="Lateness Reason", copy=False, track_visibility="onchange",
        help="Why the engineer arrives after the promised time; told to the customer beforehand "
             "(R: S4).")
    # Remote service (R: S1)
    remote_authorized = fields.Boolean(
        string="Remote Access Authorised", readonly=True, copy=False,
        track_visibility="onchange")
    remote_authorized_by_id = fields.Many2one(
        "res.partner", string="Authorised By", copy=False,
        help="The customer's person who authorised the remote session.")
    remote_authorized_date = fields.Datetime(string="Authorised On", readonly=True, copy=False)
    # Dispatch (R: S3, S4)
    site_address = fields.Text(string="Site Address", copy=False)
    contact_phone = fields.Char(string="Contact Phone", copy=False)
    appointment_date = fields.Datetime(
        string="Appointment", readonly=True, copy=False, index=True,
        track_visibility="onchange")
    no_show_count = fields.Integer(string="Customer No-Shows", readonly=True, copy=False)
    # Outcome (R: S15)
    outcome = fields.Selection(
        [("none", "None"), ("return", "Return"), ("rework", "Rework"), ("scrap", "Scrap")],
        default="none", required=True, track_visibility="onchange")
    outcome_notes = fields.Text(string="Outcome Notes")
    # Complaint and suggestion (R: S16, S17)
    is_complaint = fields.Boolean(string="Complaint", index=True, track_visibility="onchange")
    root_cause = fields.Text(string="Root Cause", groups=STAFF,
                             help="Analysed by quality (R: S16).")
    preventive_action = fields.Text(
        string="Preventive Action", groups=STAFF,
        help="Recorded by quality so that it does not recur (R: S16).")
    is_suggestion = fields.Boolean(string="Suggestion", index=True, track_visibility="onchange")
    forward_user_id = fields.Many2one(
        "res.users", string="Forwarded To", copy=False, track_visibility="onchange",
        help="Responsible person of the department that handles the suggestion (R: S17).")
    # Cancellation
    cancel_reason = fields.Text(string="Cancellation Reason", readonly=True, copy=False)
    # Repair notices (R: S10)
    repair_notice_ids = fields.One2many(
        "aftersales.repair.notice", "ticket_id", string="Repair Notices")
    repair_notice_count = fields.Integer(compute="_compute_repair_notice_count")

    def _compute_hotline_greeting(self):
        """R: S1 - the standard greeting, in the operator's language and of his time of day,
        unless the company wrote its own (translatable per language)."""
        hour = fields.Datetime.context_timestamp(self, datetime.utcnow()).hour
        standard = _("%(salutation)s, after-sales service hotline, how may I help you?") % {
            "salutation": self._salutation_of_hour(hour)}
        for ticket in self:
            company = ticket.company_id or self.env.user.company_id
            ticket.hotline_greeting = company.aftersales_hotline_greeting or standard

    def _salutation_of_hour(self, hour):
        if hour < 12:
            return _("Good morning")
        if hour < 18:
            return _("Good afternoon")
        return _("Good evening")

    @api.depends("state", "answer_deadline", "answered_date", "arrival_deadline", "arrival_date")
    def _compute_is_late(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.is_late = (
                ticket.state in ("new", "triage") and not ticket.answered_date
                and bool(ticket.answer_deadline) and ticket.answer_deadline < now
            ) or (
                ticket.state == "dispatched" and not ticket.arrival_date
                and bool(ticket.arrival_deadline) and ticket.arrival_deadline < now)

    def _search_is_late(self, operator, value):
        now = fields.Datetime.now()
        late = ["|",
                "&", "&", ("state", "in", ("new", "triage")), ("answered_date", "=", False),
                ("answer_deadline", "<", now),
                "&", "&", ("state", "=", "dispatched"), ("arrival_date", "=", False),
                ("arrival_deadline", "<", now)]
        if (operator == "=") == bool(value):
            return late
        return [("id", "not in", self.search(late).ids)]

    def _compute_repair_notice_count(self):
        counts = self.env["aftersales.repair.notice"].read_group(
            [("ticket_id", "in", self.ids)], ["ticket_id"], ["ticket_id"])
        by_ticket = {c["ticket_id"][0]: c["ticket_id_count"] for c in counts}
        for ticket in self:
            ticket.repair_notice_count = by_ticket.get(ticket.id, 0)

    @api.constrains("partner_id", "archive_id")
    def _check_archive_customer(self):
        """The unit must belong to the ticket's customer (R: S9)."""
        for ticket in self.filtered("archive_id"):
            if (ticket.archive_id.partner_id.commercial_partner_id
                    != ticket.partner_id.commercial_partner_id):
                raise ValidationError(_(
                    "Unit %(unit)s belongs to %(owner)s, not to %(customer)s.") % {
                    "unit": ticket.archive_id.display_name,
                    "owner": ticket.archive_id.partner_id.display_name,
                    "customer": ticket.partner_id.display_name})

    @api.constrains("remote_authorized", "remote_authorized_by_id", "remote_authorized_date")
    def _check_remote_authorization(self):
        """R: S1 - an authorisation says who gave it and when."""
        for ticket in self.filtered("remote_authorized"):
            if not (ticket.remote_authorized_by_id and ticket.remote_authorized_date):
                raise ValidationError(_(
                    "Record who at the customer authorised the remote session on %(ticket)s, "
                    "and when.") % {"ticket": ticket.name})

    @api.onchange("archive_id")
    def _onchange_archive_id(self):
        if self.archive_id:
            self.partner_id = self.archive_id.partner_id.commercial_partner_id
            self.contact_id = self.contact_id or self.archive_id.contact_id

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.contact_id and (self.contact_id.commercial_partner_id
                                != self.partner_id.commercial_partner_id):
            self.contact_id = False

    @api.constrains("engineer_id")
    def _check_engineer(self):
        """R: S3 - only an internal user of the service engineers goes on site."""
        for ticket in self.filtered("engineer_id"):
            ticket._ensure_engineer(ticket.engineer_id)

    @api.constrains("date_reported", "answered_date", "arrival_date")
    def _check_dates_in_order(self):
        """R: K3, K5 - nobody is answered or visited before the report."""
        for ticket in self:
            for name in ("answered_date", "arrival_date"):
                if ticket[name] and ticket[name] < ticket.date_reported:
                    raise ValidationError(_(
                        "%(field)s of %(ticket)s (%(date)s) is before the report (%(reported)s).")
                        % {"field": self._fields[name].get_description(self.env)["string"],
                           "ticket": ticket.name, "date": ticket._format_datetime(ticket[name]),
                           "reported": ticket._format_datetime(ticket.date_reported)})

    @api.model
    def _default_team(self):
        company = self.env["res.company"].browse(self.env.context.get("default_company_id")) \
            or self.env.user.company_id
        return self.env["aftersales.hotline.team"].sudo()._team_of(self.env.user, company)

    @api.model
    def _default_user(self):
        """The hotline operator who takes a call follows it; a request that arrives by the
        portal or by e-mail (written by the system) waits unassigned in the team's queue."""
        user = self.env.user
        if self.env.uid != SUPERUSER_ID and user.has_group(HOTLINE):
            return user
        return self.env["res.users"]

    @api.model
    def create(self, vals):
        if vals.get("user_id"):
            self._ensure_may_assign_new(vals)
        # a request written by the system (portal form, mail gateway) is not followed by the
        # administrator it runs as: the team, the responsible and the engineer are told
        system = self.env.uid == SUPERUSER_ID
        ticket = super(AftersalesTicket, self.with_context(
            mail_create_nosubscribe=system or self.env.context.get("mail_create_nosubscribe")
        )).create(vals)
        ticket = ticket.with_env(self.env)
        if not vals.get("answer_deadline"):
            ticket._promise_answer_from_priority()
        ticket._subscribe_people()
        ticket._notify_team_of_new_request()
        return ticket

    @api.multi
    def write(self, vals):
        self._ensure_can_write(vals)
        result = super().write(vals)
        if "priority" in vals:
            self._promise_answer_from_priority()
        if vals.get("user_id") or vals.get("engineer_id"):
            self._subscribe_people()
        if vals.get("team_id"):
            self.filtered(lambda ticket: not ticket.user_id)._notify_team_of_new_request()
        return result

    @api.multi
    def unlink(self):
        raise UserError(_("Service requests cannot be deleted; cancel or archive them instead."))

    # Stage flow -------------------------------------------------------------------------------

    @api.multi
    def _ensure_transition(self, step):
        """Refuse `step` unless every ticket is in a stage it may start from; return the target."""
        sources, target = TICKET_TRANSITIONS[step]
        stages = dict(self._fields["state"]._description_selection(self.env))
        for ticket in self:
            if ticket.state not in sources:
                raise UserError(_(
                    "Service request %(ticket)s is %(stage)s: this step is only possible from "
                    "%(allowed)s.") % {
                    "ticket": ticket.name, "stage": stages[ticket.state],
                    "allowed": ", ".join(stages[s] for s in sources)})
        return target

    @api.multi
    def action_triage(self):
        """Take the call: promise an answer time from the hours of the priority (R: S2)."""
        self._guard_ensure_role(HOTLINE)
        self._ensure_transition("triage")
        # the answer clock runs since the report (R: K3), not since the triage
        self._write_owned({"state": "triage"})
        return True

    @api.multi
    def action_answer(self):
        """Record that the customer got the answer, now, and whether it was on time (R: S2, K3)."""
        self._guard_ensure_role(HOTLINE)
        self._ensure_transition("answer")
        for ticket in self.filtered("is_answered"):
            raise UserError(_("Service request %(ticket)s was already answered on %(date)s.")
                            % {"ticket": ticket.name,
                               "date": ticket._format_datetime(ticket.answered_date)})
        self._record_answer()
        return True

    @api.multi
    def action_authorize_remote(self):
        """R: S1 - the customer's person chosen in Authorised By allows the remote session now."""
        self._guard_ensure_role(HOTLINE)
        for ticket in self:
            if ticket.state not in OPEN_STATES or ticket.remote_authorized:
                raise UserError(_("Service request %(ticket)s needs no new authorisation.")
                                % {"ticket": ticket.name})
            person = ticket.remote_authorized_by_id
            if not person:
                raise UserError(_("Choose who at the customer authorises the remote session on "
                                  "%(ticket)s.") % {"ticket": ticket.name})
            if person.commercial_partner_id != ticket.partner_id.commercial_partner_id:
                raise UserError(_("%(person)s is not a person of %(customer)s.") % {
                    "person": person.name, "customer": ticket.partner_id.display_name})
            ticket._write_owned({"remote_authorized": True,
                                 "remote_authorized_date": fields.Datetime.now()})
            ticket.message_post(body=_("Remote session authorised by %(person)s.")
                                % {"person": html_escape(person.name)})
        return True

    @api.multi
    def action_solve_remotely(self):
        """Solved by phone or remote session (R: S1, S2)."""
        self._guard_ensure_role(HOTLINE)
        self._ensure_transition("solve_remotely")
        for ticket in self:
            ticket._ensure_remote_authorized()
        self._record_answer()
        self._write_owned({"state": "remote_solved"})
        return True

    @api.multi
    def action_dispatch(self):
        """Open the dispatch wizard (R: S3, S4); it calls `_dispatch`."""
        self.ensure_one()
        self._guard_ensure_role(HOTLINE)
        self._ensure_transition("dispatch")
        return self._wizard_action("aftersales_base.aftersales_ticket_dispatch_action")

    @api.multi
    def action_promise_answer(self):
        """Open the wizard that records the answer time promised to the customer (R: S2)."""
        self.ensure_one()
        self._guard_ensure_role(HOTLINE)
        return self._wizard_action("aftersales_base.aftersales_ticket_promise_action")

    @api.multi
    def action_record_past_event(self):
        """Open the wizard in which a manager records an earlier answer or arrival."""
        self.ensure_one()
        self._guard_ensure_role(MANAGER)
        return self._wizard_action("aftersales_base.aftersales_ticket_past_event_action")

    @api.multi
    def action_reschedule(self):
        """Open the dispatch wizard on a dispatched request: another engineer or another
        appointment (issue 15); it calls `_reschedule`."""
        self.ensure_one()
        self._guard_ensure_role(HOTLINE)
        self._ensure_transition("reschedule")
        return self._wizard_action("aftersales_base.aftersales_ticket_dispatch_action")

    @api.multi
    def action_no_show(self):
        """Open the reschedule wizard for a customer no-show (R: S4); it calls `_register_no_show`."""
        self.ensure_one()
        self._guard_ensure_role(HOTLINE)
        self._ensure_transition("no_show")
        return self._wizard_action("aftersales_base.aftersales_ticket_no_show_action")

    @api.multi
    def action_arrive(self):
        """The engineer is on site now; store whether it was on time (R: S4, K5)."""
        self._arrive_at(fields.Datetime.now())
        return True

    def _arrive_at(self, when):
        """Record the arrival at `when` (the server's now, typed once: the service record of
        the visit stamps the same time here). Late, the reason is due before the work on site
        is done (R: S4, K5)."""
        self._ensure_visiting_engineer()
        self._ensure_transition("arrive")
        for ticket in self:
            ticket._write_owned({
                "state": "on_site", "arrival_date": when,
                "arrival_on_time": arrived_on_time(when, ticket.appointment_date)})

    @api.multi
    def action_done(self):
        """The engineer finished the work on site (R: S5)."""
        self._ensure_visiting_engineer()
        self._ensure_transition("done")
        for ticket in self.filtered(lambda t: t.arrival_date and not t.arrival_on_time):
            if not (ticket.lateness_reason or "").strip():
                raise UserError(_(
                    "The engineer arrived after the appointment (%(date)s) on %(ticket)s: "
                    "enter the lateness reason first.") % {
                    "date": ticket._format_datetime(ticket.appointment_date),
                    "ticket": ticket.name})
        self._write_owned({"state": "done"})
        # the site visit is over: the engineer's activity is done, not left open (issue 15)
        self._aftersales_finish_activities(
            self.env.ref("aftersales_base.mail_activity_site_visit"), _("Work on site done."))
        return True

    @api.multi
    def action_customer_confirm(self):
        """The customer confirms the problem is solved (R: S5)."""
        self._guard_ensure_role(HOTLINE)
        self._ensure_transition("customer_confirm")
        self._write_owned({"state": "confirmed"})
        return True

    @api.multi
    def action_close(self):
        """R: S16 - a complaint closes only with its root cause and preventive action."""
        self._guard_ensure_role(HOTLINE)
        self._ensure_transition("close")
        for ticket in self:
            ticket._ensure_complaint_analysed()
        self._write_owned({"state": "closed"})
        return True

    @api.multi
    def action_cancel(self):
        """Open the cancel wizard, which asks for the reason and calls `_cancel`."""
        self._guard_ensure_role(HOTLINE)
        self._ensure_transition("cancel")
        return self._wizard_action("aftersales_base.aftersales_ticket_cancel_action")

    @api.multi
    def action_reset(self):
        """Reopen a cancelled request (managers only); its promises and visit start again."""
        self._guard_ensure_role(MANAGER)
        self._ensure_transition("reset")
        self._write_owned({
            "state": "new", "cancel_reason": False, "answer_deadline": False,
            "answered_date": False, "is_answered": False, "answer_on_time": False,
            "appointment_date": False, "arrival_deadline": False, "arrival_date": False,
            "arrival_on_time": False})
        return True

    @api.multi
    def action_forward_suggestion(self):
        """Forward a suggestion to the department's responsible person (R: S17)."""
        self._guard_ensure_role(HOTLINE)
        for ticket in self:
            ticket._ensure_forwardable()
        activity_type = self.env.ref("aftersales_base.mail_activity_suggestion")
        for ticket in self:
            if ticket._aftersales_activities(activity_type).filtered(
                    lambda activity: activity.user_id == ticket.forward_user_id):
                raise UserError(_("Suggestion %(ticket)s is already with %(user)s.") % {
                    "ticket": ticket.name, "user": ticket.forward_user_id.name})
            ticket.message_subscribe_users(user_ids=ticket.forward_user_id.ids)
            ticket.sudo()._aftersales_schedule_activity(
                activity_type, ticket.forward_user_id,
                _("Customer suggestion %(ticket)s") % {"ticket": ticket.name},
                ticket.description)
            ticket.message_post(body=_("Suggestion forwarded to %(user)s.")
                                % {"user": ticket.forward_user_id.name})
        return True

    @api.multi
    def action_view_repair_notices(self):
        self.ensure_one()
        action = self.env.ref("aftersales_base.aftersales_repair_notice_action").read()[0]
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        return action

    # Business methods (called by the wizards and by other addons) -----------------------------

    @api.multi
    def _dispatch(self, engineer, appointment, site_address, contact, contact_phone):
        """Send `engineer` on site for `appointment` (R: S3, S4): the agreed appointment is the
        promised arrival ("arrive before it", K5)."""
        self.ensure_one()
        self._guard_ensure_role(HOTLINE)
        self._ensure_transition("dispatch")
        self._ensure_visit_values(engineer, appointment, site_address, contact, contact_phone)
        self._ensure_appointment(appointment)
        self._record_answer()
        self._write_owned(dict(self._visit_values(
            engineer, appointment, site_address, contact, contact_phone), state="dispatched"))
        self.sudo()._aftersales_schedule_activity(
            self.env.ref("aftersales_base.mail_activity_site_visit"), engineer,
            _("Site visit %(ticket)s") % {"ticket": self.name},
            "\n".join(line for line in (site_address, contact_phone) if line),
            deadline=self._date_of(appointment))
        self.message_subscribe_users(user_ids=engineer.ids)
        self._tell_customer_the_visit()
        return True

    @api.multi
    def _reschedule(self, engineer, appointment, site_address, contact, contact_phone):
        """Another engineer or another agreed appointment for a dispatched request (issue 15;
        R: S3, S4): the site visit activity moves to the engineer and the day, the customer is
        told the new appointment, and the arrival is promised for it."""
        self.ensure_one()
        self._guard_ensure_role(HOTLINE)
        self._ensure_transition("reschedule")
        self._ensure_visit_values(engineer, appointment, site_address, contact, contact_phone)
        if (engineer, appointment) == (self.engineer_id, self.appointment_date):
            raise UserError(_("%(ticket)s already has this engineer and this appointment.")
                            % {"ticket": self.name})
        if appointment != self.appointment_date:
            self._ensure_appointment(appointment)
        before = (self.engineer_id.name, self._format_datetime(self.appointment_date))
        self._write_owned(self._visit_values(
            engineer, appointment, site_address, contact, contact_phone))
        self._aftersales_activities(self.env.ref("aftersales_base.mail_activity_site_visit")) \
            .write({"user_id": engineer.id, "date_deadline": self._date_of(appointment)})
        self.message_post(body=_(
            "Visit moved from %(old_engineer)s on %(old_date)s to %(engineer)s on %(date)s.") % {
            "old_engineer": html_escape(before[0]), "old_date": before[1],
            "engineer": html_escape(engineer.name),
            "date": self._format_datetime(appointment)})
        self._tell_customer_the_visit()
        return True

    @api.multi
    def _register_no_show(self, appointment, note):
        """The customer was not there: reschedule, count it on the customer (R: S4)."""
        self.ensure_one()
        self._guard_ensure_role(HOTLINE)
        self._ensure_transition("no_show")
        if not appointment or appointment <= self.appointment_date:
            raise UserError(_("Choose a new appointment after the missed one (%(date)s).")
                            % {"date": self._format_datetime(self.appointment_date)})
        self._ensure_appointment(appointment)
        missed = self.appointment_date
        customer = self.partner_id.commercial_partner_id
        self._write_owned({
            "appointment_date": appointment,
            "arrival_deadline": appointment,
            "no_show_count": self.no_show_count + 1,
        })
        customer.sudo().write({"aftersales_no_show_count": customer.aftersales_no_show_count + 1})
        self._aftersales_activities(self.env.ref("aftersales_base.mail_activity_site_visit")) \
            .write({"date_deadline": self._date_of(appointment)})
        self.message_post(body=_(
            "Customer no-show at the appointment of %(missed)s; rescheduled to %(new)s. %(note)s")
            % {"missed": self._format_datetime(missed),
               "new": self._format_datetime(appointment), "note": html_escape(note or "")})
        return True

    @api.multi
    def _cancel(self, reason):
        self._guard_ensure_role(HOTLINE)
        if not (reason or "").strip():
            raise UserError(_("Give the reason for cancelling the service request."))
        self._ensure_transition("cancel")
        self._write_owned({"state": "cancel", "cancel_reason": reason})
        self.mapped("activity_ids").unlink()
        return True

    def _record_answer(self, when=None):
        """Stamp when the customer got the answer (now, unless a manager records an earlier
        time) and whether it was on time (R: K3); once."""
        now = when or fields.Datetime.now()
        for ticket in self.filtered(lambda t: not t.is_answered):
            on_time = answered_on_time(now, ticket.answer_deadline)
            ticket._write_owned({"is_answered": True, "answered_date": now,
                                 "answer_on_time": on_time})
            ticket.message_post(body=_("Customer answered on %(date)s (%(timeliness)s).") % {
                "date": ticket._format_datetime(now),
                "timeliness": _("on time") if on_time else _("late")})

    @api.multi
    def _record_past_event(self, event, when, reason):
        """A manager records an answer or an arrival that happened but was not recorded then
        (the engineer's tablet had no network): at the time it happened, with the reason. The
        time is not in the future nor before the report (R: K3, K5; issue 15)."""
        self.ensure_one()
        self._guard_ensure_role(MANAGER)
        if not (reason or "").strip():
            raise UserError(_("Give the reason why %(ticket)s is recorded afterwards.")
                            % {"ticket": self.name})
        if not when or when > fields.Datetime.now() or when < self.date_reported:
            raise UserError(_("The time recorded for %(ticket)s must lie between its report "
                              "(%(reported)s) and now.") % {
                "ticket": self.name, "reported": self._format_datetime(self.date_reported)})
        if event == "answer":
            if self.is_answered or self.state not in ("new", "triage"):
                raise UserError(_("Service request %(ticket)s was already answered.")
                                % {"ticket": self.name})
            self._record_answer(when)
        elif event == "arrival":
            self._arrive_at(when)
        else:
            raise UserError(_("Record an answer or an arrival."))
        self.message_post(body=_("Recorded afterwards by %(user)s: %(event)s at %(date)s. "
                                 "Reason: %(reason)s") % {
            "user": html_escape(self.env.user.name),
            "event": _("answer to the customer") if event == "answer" else _("arrival on site"),
            "date": self._format_datetime(when), "reason": html_escape(reason)})
        return True

    def _promise_answer_from_priority(self):
        """R: S2, K3 - one promised answer time per request: the report plus the hours of its
        priority, until the customer is answered or the hotline promised another time."""
        for ticket in self.filtered(lambda t: not t.is_answered and not t.answer_promised_by_hand):
            start = fields.Datetime.from_string(ticket.date_reported)
            ticket._write_owned({"answer_deadline": ticket._promised_time("answer", start)})

    @api.multi
    def _promise_answer(self, deadline, note=False):
        """R: S2 - the hotline promises the customer an answer by `deadline` (the K3 clock's
        promise from now on). Not before the report, not once answered."""
        self.ensure_one()
        self._guard_ensure_role(HOTLINE)
        if self.is_answered or self.state not in ("new", "triage"):
            raise UserError(_("%(ticket)s is already answered: its answer time is kept.")
                            % {"ticket": self.name})
        if not deadline or deadline < self.date_reported:
            raise UserError(_("Promise an answer after the report of %(ticket)s (%(date)s).")
                            % {"ticket": self.name,
                               "date": self._format_datetime(self.date_reported)})
        self._write_owned({"answer_deadline": deadline, "answer_promised_by_hand": True})
        self.message_post(body=_("Answer promised to the customer by %(date)s. %(note)s") % {
            "date": self._format_datetime(deadline), "note": html_escape(note or "")})
        return True

    def _promised_time(self, kind, start):
        """Promised answer/arrival time from `start` and the company's hours (R: S2, S3)."""
        self.ensure_one()
        hours = self.company_id._aftersales_promised_hours(kind, self.priority)
        return fields.Datetime.to_string(start + timedelta(hours=hours))

    def _ensure_remote_authorized(self):
        """R: S1 - remote online service only with the customer's authorisation."""
        if self.channel == "remote" and not self.remote_authorized:
            raise UserError(_(
                "Service request %(ticket)s is a remote session: record the customer's "
                "authorisation first.") % {"ticket": self.name})

    def _ensure_complaint_analysed(self):
        """R: S16 - a complaint is closed only with its root cause and preventive action."""
        if self.is_complaint and not ((self.root_cause or "").strip()
                                      and (self.preventive_action or "").strip()):
            raise UserError(_(
                "Complaint %(ticket)s cannot be closed without its root cause and preventive "
                "action.") % {"ticket": self.name})

    def _ensure_forwardable(self):
        if not self.is_suggestion:
            raise UserError(_("Service request %(ticket)s is not a suggestion.")
                            % {"ticket": self.name})
        if not self.forward_user_id:
            raise UserError(_("Choose whom to forward suggestion %(ticket)s to.")
                            % {"ticket": self.name})

    def _ensure_can_write(self, vals):
        """Edits that only some people make, whatever the client (issue 13)."""
        if "user_id" in vals:
            self._ensure_may_assign(vals["user_id"])
        if "is_complaint" in vals and not vals["is_complaint"] \
                and self.filtered("is_complaint") and not self._guard_allowed("is_complaint"):
            # R: S16 - a registered complaint is not dropped to close it without its analysis
            self._guard_ensure_role(QUALITY)
        if "remote_authorized_by_id" in vals and not self._guard_allowed(
                "remote_authorized_by_id"):
            for ticket in self.filtered("remote_authorized"):
                if vals["remote_authorized_by_id"] != ticket.remote_authorized_by_id.id:
                    raise UserError(_(
                        "The remote session of %(ticket)s was authorised by %(person)s on "
                        "%(date)s: that record cannot be changed.") % {
                        "ticket": ticket.name, "person": ticket.remote_authorized_by_id.name,
                        "date": ticket._format_datetime(ticket.remote_authorized_date)})

    # Hotline queue (issue 15) ------------------------------------------------------------

    @api.multi
    def action_assign_to_me(self):
        """A member of the ticket's team takes it from the queue."""
        self.write({"user_id": self.env.uid})
        return True

    def _ensure_may_assign(self, user_id):
        """R: S1, S2 - a member takes a request of his team's queue (or gives it back); the
        team leader assigns it to a member; a manager assigns any."""
        me = self.env.user
        if self.env.uid == SUPERUSER_ID or me.has_group(MANAGER):
            return
        for ticket in self:
            if (user_id or False) == ticket.user_id.id:
                continue
            team = ticket.sudo().team_id
            people = team._people()
            if team and team.user_id == me:
                if user_id and user_id not in people.ids:
                    raise UserError(_(
                        "%(user)s is not a member of the hotline team %(team)s: assign "
                        "%(ticket)s to one of its members.") % {
                        "user": self.env["res.users"].sudo().browse(user_id).name,
                        "team": team.name, "ticket": ticket.name})
                continue
            taking = user_id == me.id and not ticket.user_id and me in people
            giving_back = not user_id and ticket.user_id == me
            if not (taking or giving_back):
                raise UserError(_(
                    "%(ticket)s: only a member of its hotline team takes it from the queue "
                    "(unassigned), and only the team leader or an after-sales manager assigns "
                    "it to someone else.") % {"ticket": ticket.name})

    @api.model
    def _ensure_may_assign_new(self, vals):
        """Who opens a request may follow it himself; giving it to someone else is the
        leader's or a manager's, as on an open request."""
        if vals["user_id"] == self.env.uid or self.env.uid == SUPERUSER_ID \
                or self.env.user.has_group(MANAGER):
            return
        team = self.env["aftersales.hotline.team"].sudo().browse(
            vals.get("team_id") or self._default_team().id)
        if not (team.user_id == self.env.user and vals["user_id"] in team._people().ids):
            raise UserError(_("Only the leader of the hotline team or an after-sales manager "
                              "assigns a new request to someone else."))

    def _subscribe_people(self):
        """The responsible and the engineer follow the request: a customer's message reaches
        them (the followers are told of every comment)."""
        for ticket in self.sudo():
            users = ticket.user_id | ticket.engineer_id
            if users:
                ticket.message_subscribe(partner_ids=users.mapped("partner_id").ids)

    def _notify_team_of_new_request(self):
        """Every member of the team hears of a new request in its queue, whatever the channel
        (not the one who typed it in)."""
        for ticket in self.sudo():
            members = ticket.team_id._people() - self.env.user
            if not members:
                continue
            channel = dict(ticket._fields["channel"]._description_selection(ticket.env)).get(
                ticket.channel, "")
            ticket.message_post(
                body=_("New service request in the queue of %(team)s (%(channel)s): "
                       "%(description)s") % {
                    "team": html_escape(ticket.team_id.name), "channel": html_escape(channel),
                    "description": html_escape(ticket.title or ticket.description or "")},
                partner_ids=members.mapped("partner_id").ids,
                subtype="mail.mt_note", message_type="notification")

    def _ensure_visiting_engineer(self):
        """R: S4, K5 - the visit is recorded by the engineer sent on site, or a manager."""
        user = self.env.user
        if user.has_group(MANAGER):
            return
        self._guard_ensure_role(ENGINEER)
        for ticket in self.filtered(lambda t: t.engineer_id != user):
            raise AccessError(_(
                "Service request %(ticket)s was dispatched to %(engineer)s: only that engineer or "
                "an after-sales manager records the visit.") % {
                "ticket": ticket.name, "engineer": ticket.engineer_id.name or _("nobody")})

    @staticmethod
    def _visit_values(engineer, appointment, site_address, contact, contact_phone):
        """Who goes, when, where and whom to call; the agreed appointment is the promised
        arrival (R: S4, K5)."""
        return {"engineer_id": engineer.id, "appointment_date": appointment,
                "arrival_deadline": appointment, "site_address": site_address,
                "contact_id": contact.id, "contact_phone": contact_phone}

    def _tell_customer_the_visit(self):
        """R: S3, S4 - the customer learns who comes and when (in his language and zone)."""
        template = self.env.ref("aftersales_base.mail_template_ticket_dispatched")
        self.message_post_with_template(template.id)

    def _ensure_visit_values(self, engineer, appointment, site_address, contact, contact_phone):
        """Who goes, when, where and whom to call: all confirmed, by an engineer (R: S3)."""
        if not (engineer and appointment and site_address and contact and contact_phone):
            raise UserError(_("Confirm the address, the contact, the phone, the engineer and the "
                              "appointment of %(ticket)s.") % {"ticket": self.name})
        self._ensure_engineer(engineer)

    def _ensure_engineer(self, engineer):
        """R: S3 - an internal user of the service engineers, not a portal customer."""
        if engineer.share or not engineer.has_group(ENGINEER):
            raise ValidationError(_(
                "%(user)s is not a service engineer: choose an internal user of the Service "
                "Engineer group.") % {"user": engineer.name})

    def _ensure_appointment(self, appointment):
        """R: S4 - an appointment is agreed for now or later, within a year."""
        now = fields.Datetime.from_string(fields.Datetime.now())
        when = fields.Datetime.from_string(appointment)
        if when < now - APPOINTMENT_GRACE:
            raise UserError(_("The appointment (%(date)s) is in the past.")
                            % {"date": self._format_datetime(appointment)})
        if when > now + APPOINTMENT_HORIZON:
            raise UserError(_("The appointment (%(date)s) is more than a year ahead.")
                            % {"date": self._format_datetime(appointment)})

    def _format_datetime(self, value):
        """A UTC datetime string shown in the user's time zone."""
        if not value:
            return ""
        local = fields.Datetime.context_timestamp(self, fields.Datetime.from_string(value))
        return local.strftime("%Y-%m-%d %H:%M")

    def _date_of(self, value):
        """The date, in the user's time zone, of a UTC datetime string."""
        local = fields.Datetime.context_timestamp(self, fields.Datetime.from_string(value))
        return fields.Date.to_string(local.date())

    def _wizard_action(self, xmlid):
        action = self.env.ref(xmlid).read()[0]
        action["context"] = {"active_id": self.id, "active_ids": self.ids,
                             "active_model": self._name}
        return action

    # Mail gateway (R: S1) ---------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An e-mail to the service alias opens a request for the sender's company."""
        values = dict(custom_values or {})
        author = self.env["res.partner"].browse(msg_dict.get("author_id"))
        if not author:
            author_id = self._find_partner_from_emails(
                [msg_dict.get("email_from")], force_create=True)[0]
            author = self.env["res.partner"].browse(author_id)
        body = html2plaintext(msg_dict.get("body") or "").strip()
        values.update({
            "name": "/",
            "channel": "email",
            "title": msg_dict.get("subject") or "",
            "partner_id": author.commercial_partner_id.id,
            "contact_id": author.id,
            "description": body or msg_dict.get("subject") or _("(no text)"),
        })
        return super().message_new(msg_dict, custom_values=values)

    @api.multi
    def message_get_suggested_recipients(self):
        recipients = super().message_get_suggested_recipients()
        for ticket in self:
            partner = ticket.contact_id or ticket.partner_id
            if partner:
                ticket._message_add_suggested_recipient(
                    recipients, partner=partner, reason=_("Customer"))
        return recipients
