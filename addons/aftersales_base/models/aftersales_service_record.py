import base64
import binascii
import io
import uuid
from datetime import datetime, timedelta

from PIL import Image, ImageChops

from odoo import SUPERUSER_ID, api, fields, models, _
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, html_escape

from .aftersales_ticket import arrived_on_time

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# A hand-drawn signature from jSignature is a few kilobytes; refuse anything unreasonable.
MAX_SIGNATURE_BYTES = 512 * 1024
# ... and a few hundred pixels wide: a larger image is no signature pad's (nor a memory bomb).
MAX_SIGNATURE_PIXELS = 4000 * 2000
STAFF = "aftersales_base.group_aftersales_user"
ENGINEER = "aftersales_base.group_aftersales_engineer"
MANAGER = "aftersales_base.group_aftersales_manager"

RECORD_STATES = [
    ("draft", "Draft"),
    ("to_sign", "To Sign"),
    ("signed", "Signed"),
    ("cancel", "Cancelled"),
]


class AftersalesServiceRecord(models.Model):
    """The on-site service record (维护记录单 / 售后服务现场工作记录). R: S4-S7, A5, A7."""

    _name = "aftersales.service.record"
    _description = "Service Record"
    _inherit = ["aftersales.guard.mixin", "aftersales.sequence.mixin", "mail.thread",
                "mail.activity.mixin", "portal.mixin", "aftersales.customer.document.mixin"]
    _order = "date_arrival desc, id desc"

    # The workflow guard (issue 13). Owned: the state, the signature and the visit's times,
    # which feed the on-time KPIs (R: S4, K5) - written by the actions only.
    _guard_owned_fields = (
        "name", "state", "company_id", "access_token", "access_token_deadline",
        "date_appointment", "date_arrival",
        "date_departure", "signer_name", "signature", "signed_on")
    # The engineer fills the record while it is a draft; what the customer is asked to sign
    # (to_sign) and has signed no longer changes: back to draft to correct before signing.
    _guard_editable_fields = (
        "ticket_id", "archive_id", "partner_id", "contact_id", "engineer_id", "lateness_reason",
        "work_done", "test_result", "test_notes", "hazards", "responsibility_notes",
        "parts_used", "change_ids", "cost_vehicle", "cost_consumables", "cost_other",
        "cost_budget", "cost_overrun_reason")
    _guard_free_fields = ()
    _guard_open_states = ("draft",)
    _guard_locked_states = ("to_sign", "signed", "cancel")
    # R: K7 - the budget an overrun is measured against is the manager's, not the engineer's
    _guard_field_roles = {"cost_budget": (MANAGER,)}

    def _default_access_token(self):
        return str(uuid.uuid4())

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id, index=True,
        copy=False)
    state = fields.Selection(
        RECORD_STATES, default="draft", required=True, readonly=True, copy=False, index=True,
        track_visibility="onchange")
    access_token = fields.Char(
        string="Security Token", required=True, copy=False, default=_default_access_token,
        groups="aftersales_base.group_aftersales_user",
        help="Lets the customer sign on the engineer's tablet without logging in.")
    access_token_deadline = fields.Datetime(
        string="Signing Link Valid Until", readonly=True, copy=False,
        groups="aftersales_base.group_aftersales_user",
        help="The signing link works until then, and only while the record waits for the "
             "signature.")
    # Unit and customer
    ticket_id = fields.Many2one(
        "aftersales.ticket", string="Service Request", index=True, ondelete="restrict",
        track_visibility="onchange")
    archive_id = fields.Many2one(
        "aftersales.archive", string="Unit", required=True, index=True, ondelete="restrict",
        track_visibility="onchange")
    product_id = fields.Many2one(
        related="archive_id.product_id", string="Product", store=True, readonly=True)
    lot_id = fields.Many2one(
        related="archive_id.lot_id", string="Serial Number", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, track_visibility="onchange",
        help="The customer company (commercial partner).")
    contact_id = fields.Many2one("res.partner", string="Contact")
    engineer_id = fields.Many2one(
        "res.users", string="Engineer", required=True, index=True,
        default=lambda self: self.env.user, track_visibility="onchange")
    # Visit (R: S4): the times are stamped by the engineer's buttons, never typed
    date_appointment = fields.Datetime(
        string="Appointment", readonly=True, copy=False, track_visibility="onchange",
        help="The appointment of the service request, taken when the engineer arrives.")
    date_arrival = fields.Datetime(
        string="Arrival", index=True, readonly=True, copy=False, track_visibility="onchange",
        help="Stamped by the Arrived button.")
    date_departure = fields.Datetime(
        string="Departure", readonly=True, copy=False, track_visibility="onchange",
        help="Stamped when the record is handed to the customer for signing.")
    is_late = fields.Boolean(
        string="Late", compute="_compute_is_late", store=True,
        help="The engineer arrived after the appointment.")
    lateness_reason = fields.Text(string="Lateness Reason")
    # Work (R: S5, S6, S7)
    work_done = fields.Text(string="Work Done")
    test_result = fields.Selection(
        [("passed", "Passed"), ("failed", "Failed")], string="Test Result",
        track_visibility="onchange")
    test_notes = fields.Text(string="Test Notes")
    hazards = fields.Text(
        string="Hazards Found", help="Safety hazards found during the test, reported to the owner.")
    responsibility_notes = fields.Text(
        string="Other Equipment Touched",
        help="Equipment of the customer not supplied by us that was touched at the customer's "
             "request, and who is responsible for it (R: S6).")
    parts_used = fields.Text(string="Parts Used")
    change_ids = fields.One2many(
        "aftersales.service.record.change", "record_id", string="Part Replacements and Changes",
        copy=False)
    # Costs of the service (R: K7): what it cost us, against the budget; overruns explained.
    # Internal figures: staff only, never on the PDF or the portal.
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    cost_vehicle = fields.Monetary(
        string="Vehicle Cost", groups=STAFF, track_visibility="onchange")
    cost_consumables = fields.Monetary(
        string="Consumables Cost", groups=STAFF, track_visibility="onchange")
    cost_other = fields.Monetary(
        string="Other Costs", groups=STAFF, track_visibility="onchange",
        help="Travel allowance, lodging, tolls and other costs of this service.")
    cost_total = fields.Monetary(
        string="Total Cost", groups=STAFF, compute="_compute_cost_total", store=True)
    cost_budget = fields.Monetary(
        string="Cost Budget", groups=STAFF, track_visibility="onchange",
        default=lambda self: self.env.user.company_id.aftersales_service_cost_budget,
        help="What this service was expected to cost; a higher total must be explained. "
             "Zero means no budget.")
    is_cost_overrun = fields.Boolean(
        string="Cost Overrun", groups=STAFF, compute="_compute_cost_total", store=True)
    cost_overrun_reason = fields.Text(
        string="Cost Overrun Reason", groups=STAFF, track_visibility="onchange")
    # Signature
    signer_name = fields.Char(
        string="Signed By", readonly=True, copy=False, track_visibility="onchange")
    signature = fields.Binary(string="Signature", attachment=True, readonly=True, copy=False)
    signed_on = fields.Datetime(string="Signed On", readonly=True, copy=False)
    signature_src = fields.Char(
        string="Signature Image Source", compute="_compute_signature_src",
        help="The signature as a data URI, for the PDF and the portal.")
    event_ids = fields.One2many(
        "aftersales.archive.event", compute="_compute_event_ids", string="Filed Events")

    _sql_constraints = [
        ("name_uniq", "unique(name, company_id)", "The service record reference must be unique."),
    ]

    @api.depends("date_appointment", "date_arrival")
    def _compute_is_late(self):
        self.update({"is_late": False})
        for record in self.filtered("date_arrival"):
            record.is_late = not arrived_on_time(record.date_arrival, record.date_appointment)

    @api.depends("cost_vehicle", "cost_consumables", "cost_other", "cost_budget")
    def _compute_cost_total(self):
        for record in self:
            total = record.cost_vehicle + record.cost_consumables + record.cost_other
            record.cost_total = total
            # A record being edited in the form may not have its currency yet: cents then.
            rounding = record.currency_id.rounding or 0.01
            record.is_cost_overrun = bool(record.cost_budget) and float_compare(
                total, record.cost_budget, precision_rounding=rounding) > 0

    @api.depends("signature")
    def _compute_signature_src(self):
        self.update({"signature_src": False})
        for record in self.filtered("signature"):
            signature = record.signature
            if isinstance(signature, bytes):
                signature = signature.decode("ascii")
            record.signature_src = "data:image/png;base64,%s" % signature

    @api.multi
    def _compute_event_ids(self):
        events = self.env["aftersales.archive.event"].search([
            ("res_model", "=", self._name), ("res_id", "in", self.ids)])
        for record in self:
            record.event_ids = events.filtered(lambda e: e.res_id == record.id)

    @api.multi
    def _compute_portal_url(self):
        for record in self:
            record.portal_url = "/my/service_records/%s" % record.id

    @api.constrains("archive_id", "partner_id")
    def _check_archive_partner(self):
        for record in self:
            if record.archive_id.partner_id.commercial_partner_id \
                    != record.partner_id.commercial_partner_id:
                raise ValidationError(_(
                    "Unit %(unit)s belongs to %(owner)s, not to %(customer)s.") % {
                        "unit": record.archive_id.display_name,
                        "owner": record.archive_id.partner_id.display_name,
                        "customer": record.partner_id.display_name})

    @api.constrains("ticket_id", "partner_id")
    def _check_ticket_partner(self):
        """The record is the visit of its service request: same customer (issue 13)."""
        for record in self.filtered("ticket_id"):
            if record.ticket_id.partner_id.commercial_partner_id \
                    != record.partner_id.commercial_partner_id:
                raise ValidationError(_(
                    "Service request %(ticket)s is %(ticket_customer)s's, not "
                    "%(customer)s's.") % {
                        "ticket": record.ticket_id.display_name,
                        "ticket_customer": record.ticket_id.partner_id.display_name,
                        "customer": record.partner_id.display_name})

    @api.constrains("engineer_id")
    def _check_engineer(self):
        for record in self:
            if not record.engineer_id.has_group(ENGINEER):
                raise ValidationError(_(
                    "%(user)s is not a service engineer: only service engineers go on site.")
                    % {"user": record.engineer_id.name})

    @api.constrains("date_arrival", "date_departure")
    def _check_dates(self):
        for record in self:
            if record.date_arrival and record.date_departure \
                    and record.date_departure < record.date_arrival:
                raise ValidationError(_("The departure cannot be before the arrival."))

    @api.constrains("cost_vehicle", "cost_consumables", "cost_other", "cost_budget")
    def _check_costs(self):
        for record in self:
            if min(record.cost_vehicle, record.cost_consumables, record.cost_other,
                   record.cost_budget) < 0:
                raise ValidationError(_("Service costs and budgets cannot be negative."))

    @api.onchange("ticket_id")
    def _onchange_ticket_id(self):
        ticket = self.ticket_id
        if ticket:
            self.archive_id = ticket.archive_id
            self.partner_id = ticket.partner_id.commercial_partner_id
            self.contact_id = ticket.contact_id
            self.engineer_id = ticket.engineer_id or self.env.user

    @api.onchange("archive_id")
    def _onchange_archive_id(self):
        if self.archive_id and not self.ticket_id:
            self.partner_id = self.archive_id.partner_id
            self.contact_id = self.archive_id.contact_id

    @api.multi
    def unlink(self):
        # Business records are kept: only a draft that was never used may be deleted.
        if self.filtered(lambda r: r.state != "draft"):
            raise UserError(_("Only draft service records can be deleted; cancel it instead."))
        return super().unlink()

    @api.multi
    def action_arrive(self):
        """The engineer is on site: the arrival is stamped now, against the appointment of the
        service request (R: S4, K5). Lateness is then explained before signing."""
        self._guard_ensure_role(ENGINEER)
        now = fields.Datetime.now()
        for record in self:
            record._ensure_state("draft")
            if record.date_arrival:
                raise UserError(_("Service record %(name)s: the arrival was recorded at "
                                  "%(date)s.") % {"name": record.name,
                                                  "date": record.ticket_id._format_datetime(
                                                      record.date_arrival)})
            ticket = record.ticket_id
            # typed once (issue 15): the request's arrival is this visit's, either way round
            if ticket.state == "dispatched":
                ticket._arrive_at(now)
            record._write_owned({
                "date_arrival": ticket.arrival_date or now,
                "date_appointment": ticket.appointment_date or False,
            })
        return True

    @api.multi
    def action_request_signature(self):
        """The engineer has finished: the record waits for the customer's signature; the
        departure is stamped now."""
        self._guard_ensure_role(ENGINEER)
        for record in self:
            record._ensure_state("draft")
            record._ensure_ready_to_sign()
        self._write_owned({"state": "to_sign", "date_departure": fields.Datetime.now()})
        self._issue_signing_link()
        return True

    @api.multi
    def action_back_to_draft(self):
        self._guard_ensure_role(ENGINEER)
        for record in self:
            record._ensure_state("to_sign")
        self._write_owned({"state": "draft"})
        return True

    @api.multi
    def action_cancel(self):
        self._guard_ensure_role(ENGINEER)
        for record in self:
            record._ensure_state("draft", "to_sign")
        self._write_owned({"state": "cancel"})
        return True

    @api.multi
    def action_open_signature_page(self):
        """Open the signing page on the engineer's tablet (no customer login needed).

        The URL carries the record's token: for the service team only (issue 14), a customer
        signs from his own portal page."""
        self.ensure_one()
        self._guard_ensure_role(STAFF)
        self._ensure_state("to_sign")
        if not self._signing_link_is_live():
            # the customer is in front of the engineer: a new link, the old one stays dead
            self._issue_signing_link()
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": self._get_signature_url(),
        }

    @api.multi
    def action_sign(self, signer_name, signature):
        """Sign with the customer's name and a base64 PNG signature; file it into the unit.

        R: A7 - the signed record lands in the unit's timeline with its changes (A5).
        The customer signs on the signing page (the portal controller, after its access check)
        or on the engineer's tablet; the state `signed` is reached nowhere else (issue 13).
        """
        self.ensure_one()
        if self.env.uid != SUPERUSER_ID:
            self._guard_ensure_role(ENGINEER)
        self._ensure_state("to_sign")
        self._ensure_ready_to_sign()
        signer_name = signer_name.strip() if isinstance(signer_name, str) else ""
        if not signer_name:
            raise UserError(_("Enter the name of the person who signs."))
        self._ensure_valid_signature(signature)
        if isinstance(signature, str):
            signature = signature.encode("ascii")
        self._write_owned({
            "state": "signed",
            "signer_name": signer_name,
            "signature": signature,
            "signed_on": fields.Datetime.now(),
        })
        self._file_into_archive()
        self._close_ticket_work()
        # The name is typed by the customer (possibly logged out): text, never markup.
        self.message_post(body=_("Signed by %(name)s.") % {"name": html_escape(signer_name)})
        self._send_hazards_to_customer()
        return True

    def _send_hazards_to_customer(self):
        """R: S7 - the hazards the engineer found are reported to the owner once the record
        is signed: an e-mail to the customer's contact, in his language."""
        for record in self.filtered(lambda r: (r.hazards or "").strip()):
            template = self.env.ref("aftersales_base.mail_template_service_record_hazards")
            record.message_post_with_template(template.id)

    def _issue_signing_link(self):
        """A new token for each record, valid for the company's days (issue 14): whatever
        link was given before stops working."""
        now = datetime.utcnow()
        # one write per record: every record gets its own token
        for record in self:
            days = record.company_id.aftersales_signing_link_days or 30
            record._write_owned({
                "access_token": self._default_access_token(),
                "access_token_deadline": fields.Datetime.to_string(now + timedelta(days=days)),
            })

    @api.multi
    def _signing_link_is_live(self):
        """The token opens the record while it waits for the signature and the link has not
        expired; once signed, sent back to draft or cancelled, the link is dead (issue 14)."""
        self.ensure_one()
        record = self.sudo()
        return bool(record.state == "to_sign" and record.access_token_deadline
                    and record.access_token_deadline > fields.Datetime.now())

    def _get_signature_url(self):
        return "/my/service_records/%s/sign?access_token=%s" % (self.id, self.sudo().access_token)

    def _ensure_state(self, *states):
        if self.state not in states:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(_(
                "Service record %(name)s is %(state)s; this needs it to be %(expected)s.") % {
                    "name": self.name, "state": labels[self.state],
                    "expected": " / ".join(labels[s] for s in states)})

    def _ensure_ready_to_sign(self):
        """R: S4, S5, S7 - what the customer signs must be complete."""
        if not self.date_arrival:
            raise UserError(_("Service record %(name)s: record the arrival on site first.")
                            % {"name": self.name})
        if not (self.work_done or "").strip():
            raise UserError(_("Service record %(name)s: describe the work done before signing.")
                            % {"name": self.name})
        if not self.test_result:
            raise UserError(_("Service record %(name)s: record the result of the test run "
                              "before signing.") % {"name": self.name})
        if self.is_late and not (self.lateness_reason or self.ticket_id.lateness_reason
                                 or "").strip():
            raise UserError(_("Service record %(name)s: the engineer arrived after the "
                              "appointment; give the reason for the delay.") % {"name": self.name})
        if self.is_cost_overrun and not (self.cost_overrun_reason or "").strip():
            # R: K7 - overruns are explained before the service is closed.
            raise UserError(_("Service record %(name)s: the costs exceed the budget; explain "
                              "the overrun.") % {"name": self.name})

    @api.model
    def _ensure_valid_signature(self, signature):
        """The signature must be a base64 PNG image of reasonable size."""
        if not signature:
            raise UserError(_("The customer's signature is missing."))
        try:
            raw = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError, TypeError):
            raise UserError(_("The signature is not a valid image."))
        if not raw.startswith(PNG_MAGIC):
            raise UserError(_("The signature must be a PNG image."))
        if len(raw) > MAX_SIGNATURE_BYTES:
            raise UserError(_("The signature image is too large (%(size)s kB, at most "
                              "%(max)s kB).") % {"size": len(raw) // 1024,
                                                 "max": MAX_SIGNATURE_BYTES // 1024})
        if not self._signature_has_ink(raw):
            raise UserError(_("The signature is empty: the customer signs in the box."))

    @api.model
    def _signature_has_ink(self, raw):
        """A real signature: a readable PNG of a signature pad's size with a drawn stroke
        (a visible pixel darker than the paper), not a blank or white image."""
        try:
            image = Image.open(io.BytesIO(raw))
            width, height = image.size
            if width * height > MAX_SIGNATURE_PIXELS:
                return False
            image = image.convert("RGBA")
        except (IOError, OSError, SyntaxError, ValueError):
            return False
        red, green, blue, alpha = image.split()
        darkest = ImageChops.darker(ImageChops.darker(red, green), blue)
        ink = darkest.point(lambda value: 255 if value < 200 else 0)
        visible = alpha.point(lambda value: 255 if value > 0 else 0)
        return ImageChops.multiply(ink, visible).getbbox() is not None

    def _ensure_not_locked(self, vals):
        """A record handed for signing or signed is the customer's document: corrections before
        the signature go back to draft, after it into a new record (the guard's lock)."""
        locked = self.filtered(lambda r: r.state in self._guard_locked_states)
        if locked:
            record = locked[0]
            self._guard_raise(list(vals), record=record, state=record.state)

    def _file_into_archive(self):
        """R: A5, A7 - one service event, plus one per part replacement or technical change."""
        # sudo: the customer signs, through the signing page, for the engineer's unit
        Event = self.env["aftersales.archive.event"].sudo()
        for vals in self._prepare_archive_event_vals_list():
            Event._create_owned(vals)
        self.archive_id.sudo().message_post(body=_(
            "Service record %(name)s signed by %(signer)s.") % {
                "name": self.name, "signer": html_escape(self.signer_name)})

    def _prepare_archive_event_vals_list(self):
        common = {"archive_id": self.archive_id.id, "date": self.signed_on,
                  "user_id": self.engineer_id.id, "res_model": self._name, "res_id": self.id}
        vals_list = [dict(common, event_type="service", name=_(
            "Service record %(name)s: %(work)s") % {"name": self.name,
                                                    "work": self.work_done.strip()})]
        for change in self.change_ids:
            vals_list.append(dict(common, event_type=change.change_type, name=change.name))
        return vals_list

    def _close_ticket_work(self):
        """The customer's signature ends the on-site work of the ticket (when it is on site)."""
        ticket = self.ticket_id
        if ticket and ticket.state == "on_site" and hasattr(ticket, "action_done"):
            if self.lateness_reason and not ticket.lateness_reason:
                # the reason is given once, on the record or on the request (issue 15)
                ticket.write({"lateness_reason": self.lateness_reason})
            ticket.action_done()
