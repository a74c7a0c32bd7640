from datetime import timedelta

from odoo import api, fields, models, _
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
    "no_show": (("dispatched",), None),
    "arrive": (("dispatched",), "on_site"),
    "done": (("on_site",), "done"),
    "customer_confirm": (("done", "remote_solved"), "confirmed"),
    "close": (("confirmed",), "closed"),
    "cancel": (OPEN_STATES, "cancel"),
    "reset": (("cancel",), "new"),
}


class AftersalesTicket(models.Model):
    """The service request (售后服务申请单). R: S1-S4, S9, S10, S15-S17."""

    _name = "aftersales.ticket"
    _description = "Service Request"
    _inherit = ["aftersales.sequence.mixin", "mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "priority desc, date_reported desc, id desc"

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id, index=True)
    state = fields.Selection(
        TICKET_STATES, string="Stage", default="new", required=True, readonly=True, copy=False,
        index=True, track_visibility="onchange")
    # Report (R: S1, S9)
    channel = fields.Selection(
        [("phone", "Phone"), ("fax", "Fax"), ("email", "E-mail"), ("website", "Website"),
         ("remote", "Remote Service"), ("portal", "Customer Portal"), ("visit", "On-site Visit")],
        required=True, default="phone", track_visibility="onchange")
    hotline_greeting = fields.Text(
        related="company_id.aftersales_hotline_greeting", string="Hotline Greeting", readonly=True)
    date_reported = fields.Datetime(
        string="Reported On", required=True, default=fields.Datetime.now, index=True)
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
    analysis = fields.Text(string="Analysis", help="Problem analysis by the service team (R: S9).")
    category_id = fields.Many2one("aftersales.ticket.category", string="Category", index=True)
    priority = fields.Selection(
        [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")],
        default="1", required=True, index=True, track_visibility="onchange")
    # People
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user,
        track_visibility="onchange")
    engineer_id = fields.Many2one(
        "res.users", string="Engineer", index=True, track_visibility="onchange")
    # Timeliness (R: S2, S3, K3, K5)
    answer_deadline = fields.Datetime(string="Answer Promised By", readonly=True, copy=False)
    answered_date = fields.Datetime(
        string="Answered On", copy=False,
        help="Filled when the answer is recorded; enter it beforehand to record an earlier time.")
    is_answered = fields.Boolean(string="Answered", readonly=True, copy=False)
    answer_on_time = fields.Boolean(string="Answered on Time", readonly=True, copy=False)
    arrival_deadline = fields.Datetime(string="Arrival Promised By", readonly=True, copy=False)
    arrival_date = fields.Datetime(
        string="Arrived On", copy=False,
        help="Filled on arrival; enter it beforehand to record an earlier time.")
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
        string="Remote Access Authorised", copy=False, track_visibility="onchange")
    remote_authorized_by_id = fields.Many2one(
        "res.partner", string="Authorised By", copy=False,
        help="The customer's person who authorised the remote session.")
    remote_authorized_date = fields.Datetime(string="Authorised On", copy=False)
    # Dispatch (R: S3, S4)
    site_address = fields.Text(string="Site Address", copy=False)
    contact_phone = fields.Char(string="Contact Phone", copy=False)
    appointment_date = fields.Datetime(
        string="Appointment", copy=False, index=True, track_visibility="onchange")
    no_show_count = fields.Integer(string="Customer No-Shows", readonly=True, copy=False)
    # Outcome (R: S15)
    outcome = fields.Selection(
        [("none", "None"), ("return", "Return"), ("rework", "Rework"), ("scrap", "Scrap")],
        default="none", required=True, track_visibility="onchange")
    outcome_notes = fields.Text(string="Outcome Notes")
    # Complaint and suggestion (R: S16, S17)
    is_complaint = fields.Boolean(string="Complaint", index=True, track_visibility="onchange")
    root_cause = fields.Text(string="Root Cause")
    preventive_action = fields.Text(string="Preventive Action")
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

    @api.depends("state", "answer_deadline", "answered_date", "arrival_deadline", "arrival_date")
    def _compute_is_late(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.is_late = (
                ticket.state == "triage" and not ticket.answered_date
                and bool(ticket.answer_deadline) and ticket.answer_deadline < now
            ) or (
                ticket.state == "dispatched" and not ticket.arrival_date
                and bool(ticket.arrival_deadline) and ticket.arrival_deadline < now)

    def _search_is_late(self, operator, value):
        now = fields.Datetime.now()
        late = ["|",
                "&", "&", ("state", "=", "triage"), ("answered_date", "=", False),
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

    @api.onchange("remote_authorized")
    def _onchange_remote_authorized(self):
        if self.remote_authorized:
            self.remote_authorized_by_id = self.remote_authorized_by_id or self.contact_id
            self.remote_authorized_date = self.remote_authorized_date or fields.Datetime.now()

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
        self._ensure_transition("triage")
        now = fields.Datetime.from_string(fields.Datetime.now())
        for ticket in self:
            ticket.write({
                "state": "triage",
                "answer_deadline": ticket._promised_time("answer", now),
            })
        return True

    @api.multi
    def action_answer(self):
        """Record the answer given to the customer and whether it was on time (R: S2, K3)."""
        self._ensure_transition("answer")
        for ticket in self.filtered("is_answered"):
            raise UserError(_("Service request %(ticket)s was already answered on %(date)s.")
                            % {"ticket": ticket.name,
                               "date": ticket._format_datetime(ticket.answered_date)})
        self._record_answer()
        return True

    @api.multi
    def action_solve_remotely(self):
        """Solved by phone or remote session (R: S1, S2)."""
        self._ensure_transition("solve_remotely")
        for ticket in self:
            ticket._ensure_remote_authorized()
        self._record_answer()
        self.write({"state": "remote_solved"})
        return True

    @api.multi
    def action_dispatch(self):
        """Open the dispatch wizard (R: S3, S4); it calls `_dispatch`."""
        self.ensure_one()
        self._ensure_transition("dispatch")
        return self._wizard_action("aftersales_base.aftersales_ticket_dispatch_action")

    @api.multi
    def action_no_show(self):
        """Open the reschedule wizard for a customer no-show (R: S4); it calls `_register_no_show`."""
        self.ensure_one()
        self._ensure_transition("no_show")
        return self._wizard_action("aftersales_base.aftersales_ticket_no_show_action")

    @api.multi
    def action_arrive(self):
        """The engineer is on site; store whether it was on time (R: S4, K5)."""
        self._ensure_transition("arrive")
        now = fields.Datetime.now()
        for ticket in self:
            arrival = ticket.arrival_date or now
            on_time = not ticket.arrival_deadline or arrival <= ticket.arrival_deadline
            if not on_time and not (ticket.lateness_reason or "").strip():
                raise UserError(_(
                    "The engineer arrives after the promised time (%(deadline)s) on %(ticket)s: "
                    "enter the lateness reason first.") % {
                    "deadline": ticket._format_datetime(ticket.arrival_deadline),
                    "ticket": ticket.name})
            ticket.write({"state": "on_site", "arrival_date": arrival,
                          "arrival_on_time": on_time})
        return True

    @api.multi
    def action_done(self):
        self._ensure_transition("done")
        self.write({"state": "done"})
        return True

    @api.multi
    def action_customer_confirm(self):
        """The customer confirms the problem is solved (R: S5)."""
        self._ensure_transition("customer_confirm")
        self.write({"state": "confirmed"})
        return True

    @api.multi
    def action_close(self):
        self._ensure_transition("close")
        for ticket in self:
            ticket._ensure_complaint_analysed()
        self.write({"state": "closed"})
        return True

    @api.multi
    def action_cancel(self):
        """Open the cancel wizard, which asks for the reason and calls `_cancel`."""
        self._ensure_transition("cancel")
        return self._wizard_action("aftersales_base.aftersales_ticket_cancel_action")

    @api.multi
    def action_reset(self):
        """Reopen a cancelled request (managers only)."""
        self._ensure_manager()
        self._ensure_transition("reset")
        self.write({"state": "new", "cancel_reason": False, "answer_deadline": False,
                    "answered_date": False, "is_answered": False,
                    "answer_on_time": False})
        return True

    @api.multi
    def action_forward_suggestion(self):
        """Forward a suggestion to the department's responsible person (R: S17)."""
        for ticket in self:
            ticket._ensure_forwardable()
        activity_type = self.env.ref("aftersales_base.mail_activity_suggestion")
        for ticket in self:
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
        """Send `engineer` on site for `appointment` (R: S3, S4).

        The promised arrival comes from the hours of the priority; when the customer agrees on a
        later appointment, the appointment is the promise.
        """
        self.ensure_one()
        self._ensure_transition("dispatch")
        if not (engineer and appointment and site_address and contact and contact_phone):
            raise UserError(_("Confirm the address, the contact, the phone, the engineer and the "
                              "appointment before dispatching %(ticket)s.") % {"ticket": self.name})
        now = fields.Datetime.from_string(fields.Datetime.now())
        deadline = max(self._promised_time("arrival", now), appointment)
        self._record_answer()
        self.write({
            "state": "dispatched",
            "engineer_id": engineer.id,
            "appointment_date": appointment,
            "arrival_deadline": deadline,
            "site_address": site_address,
            "contact_id": contact.id,
            "contact_phone": contact_phone,
        })
        self.sudo()._aftersales_schedule_activity(
            self.env.ref("aftersales_base.mail_activity_site_visit"), engineer,
            _("Site visit %(ticket)s") % {"ticket": self.name},
            "%s<br/>%s" % (site_address, contact_phone),
            deadline=self._date_of(appointment))
        self.message_subscribe_users(user_ids=engineer.ids)
        template = self.env.ref("aftersales_base.mail_template_ticket_dispatched")
        self.message_post_with_template(template.id)
        return True

    @api.multi
    def _register_no_show(self, appointment, note):
        """The customer was not there: reschedule, count it on the customer (R: S4)."""
        self.ensure_one()
        self._ensure_transition("no_show")
        if not appointment or appointment <= self.appointment_date:
            raise UserError(_("Choose a new appointment after the missed one (%(date)s).")
                            % {"date": self._format_datetime(self.appointment_date)})
        missed = self.appointment_date
        customer = self.partner_id.commercial_partner_id
        self.write({
            "appointment_date": appointment,
            "arrival_deadline": max(self.arrival_deadline, appointment),
            "no_show_count": self.no_show_count + 1,
        })
        customer.sudo().write({"aftersales_no_show_count": customer.aftersales_no_show_count + 1})
        self.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("aftersales_base.mail_activity_site_visit")
        ).write({"date_deadline": self._date_of(appointment)})
        self.message_post(body=_(
            "Customer no-show at the appointment of %(missed)s; rescheduled to %(new)s. %(note)s")
            % {"missed": self._format_datetime(missed),
               "new": self._format_datetime(appointment), "note": html_escape(note or "")})
        return True

    @api.multi
    def _cancel(self, reason):
        if not (reason or "").strip():
            raise UserError(_("Give the reason for cancelling the service request."))
        self._ensure_transition("cancel")
        self.write({"state": "cancel", "cancel_reason": reason})
        self.mapped("activity_ids").unlink()
        return True

    def _record_answer(self):
        """Store when the customer got the answer and whether it was on time (R: K3); once."""
        now = fields.Datetime.now()
        for ticket in self.filtered(lambda t: not t.is_answered):
            answered = ticket.answered_date or now
            on_time = not ticket.answer_deadline or answered <= ticket.answer_deadline
            ticket.write({"is_answered": True, "answered_date": answered,
                          "answer_on_time": on_time})
            ticket.message_post(body=_("Customer answered on %(date)s (%(timeliness)s).") % {
                "date": ticket._format_datetime(answered),
                "timeliness": _("on time") if on_time else _("late")})

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

    def _ensure_manager(self):
        if not self.env.user.has_group("aftersales_base.group_aftersales_manager"):
            raise AccessError(_("Only an after-sales manager may do this."))

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
