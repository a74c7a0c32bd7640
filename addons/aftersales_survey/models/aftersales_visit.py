import logging

import psycopg2
import psycopg2.errorcodes

from odoo import api, fields, models, _
from odoo.exceptions import UserError, ValidationError

from odoo.addons.aftersales_base.tools import CRON_BATCH_SIZE

_logger = logging.getLogger(__name__)

# Advisory lock taken by the visit planning job for its first transaction (any constant of
# ours). It is released by the first batch's commit; from then on a concurrent run is kept from
# planning a visit twice by _create_missing, which skips what another run planned.
PLAN_VISITS_LOCK = 0x41535631
# R: V5 - the dimensions a visit asks about; survey questions map to them.
SCORE_FIELDS = {
    "structure": "score_structure",
    "appearance": "score_appearance",
    "delivery": "score_delivery",
    "price": "score_price",
    "service": "score_service",
}
HOTLINE_GROUP = "aftersales_base.group_aftersales_hotline"
ENGINEER_GROUP = "aftersales_base.group_aftersales_engineer"
MANAGER_GROUP = "aftersales_base.group_aftersales_manager"


class AftersalesVisit(models.Model):
    """A return visit (回访) to a customer, with its survey answers. R: V1-V8.

    What the in-warranty visit rate (K1) and the satisfaction (K2) are computed from is written
    by the visit's own methods only (issue 13): the state and done date by its actions, the
    scores and suggestions by the answers (the customer's survey, or the visitor's record of
    them, `aftersales.visit.answer`), the planning fields by the planning job; the dates of a
    visit planned by a rule are the rule's.
    """

    _name = "aftersales.visit"
    _description = "Return Visit"
    _inherit = ["aftersales.guard.mixin", "aftersales.sequence.mixin", "mail.thread",
                "mail.activity.mixin", "portal.mixin", "aftersales.customer.document.mixin"]
    _order = "deadline desc, id desc"

    _guard_owned_fields = ("name", "state", "done_date", "suggestions", "user_input_id",
                           "ticket_id", "rule_id", "period_key", "key") + tuple(
                               SCORE_FIELDS.values())
    _guard_editable_fields = ("company_id", "partner_id", "contact_id", "archive_id", "user_id",
                              "channel", "planned_date", "deadline", "survey_id")
    _guard_open_states = ("planned",)
    _guard_locked_states = ("done", "cancel")

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id, index=True)
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancel", "Cancelled")],
        default="planned", required=True, readonly=True, copy=False, index=True,
        track_visibility="onchange")
    # Why
    rule_id = fields.Many2one("aftersales.visit.rule", string="Rule", index=True, readonly=True,
                              copy=False)
    rule_type = fields.Selection(related="rule_id.rule_type", store=True, readonly=True)
    period_key = fields.Char(string="Period", readonly=True, copy=False)
    key = fields.Char(
        string="Planning Key", readonly=True, copy=False, index=True,
        help="Rule, customer, unit and period: a rule plans one visit per key.")
    # Who and what
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, track_visibility="onchange")
    contact_id = fields.Many2one("res.partner", string="Contact")
    archive_id = fields.Many2one("aftersales.archive", string="Unit", index=True)
    product_id = fields.Many2one(
        related="archive_id.product_id", string="Product", store=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Visitor", index=True, track_visibility="onchange",
        default=lambda self: self.env.user)
    channel = fields.Selection(
        [("phone", "Phone"), ("on_site", "On Site"), ("portal", "Portal")],
        required=True, default="phone", track_visibility="onchange")
    # When
    planned_date = fields.Date(string="Planned On", required=True, index=True,
                               default=fields.Date.context_today)
    deadline = fields.Date(string="Deadline", required=True, index=True,
                           default=fields.Date.context_today, track_visibility="onchange")
    done_date = fields.Date(string="Done On", readonly=True, copy=False, index=True)
    on_time = fields.Boolean(string="Done on Time", compute="_compute_on_time", store=True)
    # Answers (R: V5)
    survey_id = fields.Many2one("survey.survey", string="Survey")
    user_input_id = fields.Many2one(
        "survey.user_input", string="Survey Answer", readonly=True, copy=False, index=True)
    survey_state = fields.Selection(related="user_input_id.state", string="Survey Status",
                                    readonly=True)
    survey_url = fields.Char(string="Survey Link", compute="_compute_survey_url")
    score_structure = fields.Integer(string="Structure and Performance", readonly=True, copy=False)
    score_appearance = fields.Integer(string="Appearance Quality", readonly=True, copy=False)
    score_delivery = fields.Integer(string="Delivery Date", readonly=True, copy=False)
    score_price = fields.Integer(string="Price", readonly=True, copy=False)
    score_service = fields.Integer(string="After-Sales Service", readonly=True, copy=False)
    score_average = fields.Float(
        string="Average Score", compute="_compute_score_average", store=True, digits=(3, 2),
        group_operator="avg")
    is_rated = fields.Boolean(string="Rated", compute="_compute_score_average", store=True)
    is_dissatisfied = fields.Boolean(
        string="Dissatisfied", compute="_compute_score_average", store=True,
        help="A score at or below the company's dissatisfaction threshold.")
    suggestions = fields.Text(string="Suggestions", readonly=True, copy=False)
    ticket_id = fields.Many2one(
        "aftersales.ticket", string="Follow-up Request", readonly=True, copy=False)

    _sql_constraints = [
        ("key_uniq", "unique(key)", "A rule plans one visit per customer, unit and period."),
    ]

    @api.depends("state", "done_date", "deadline")
    def _compute_on_time(self):
        self.update({"on_time": False})
        for visit in self.filtered(lambda v: v.state == "done" and v.done_date):
            visit.on_time = visit.done_date <= visit.deadline

    @api.depends("survey_id", "user_input_id")
    def _compute_survey_url(self):
        self.update({"survey_url": False})
        for visit in self.filtered(lambda v: v.survey_id and v.user_input_id):
            visit.survey_url = "%s/%s" % (visit.survey_id.public_url, visit.user_input_id.token)

    @api.depends(*SCORE_FIELDS.values())
    def _compute_score_average(self):
        for visit in self:
            scores = [visit[f] for f in SCORE_FIELDS.values() if visit[f]]
            threshold = visit.company_id.aftersales_dissatisfied_score
            visit.update({
                "score_average": sum(scores) / len(scores) if scores else 0.0,
                "is_rated": bool(scores),
                "is_dissatisfied": any(score <= threshold for score in scores),
            })

    def _compute_portal_url(self):
        for visit in self:
            visit.portal_url = "/my/visits"

    @api.constrains(*SCORE_FIELDS.values())
    def _check_scores(self):
        for visit in self:
            if any(not 0 <= visit[f] <= 5 for f in SCORE_FIELDS.values()):
                raise ValidationError(_("Visit %(visit)s: scores go from 1 (very dissatisfied) to "
                                        "5 (very satisfied), 0 when not rated.")
                                      % {"visit": visit.name})

    @api.constrains("planned_date", "deadline")
    def _check_dates(self):
        for visit in self:
            if visit.deadline < visit.planned_date:
                raise ValidationError(_("Visit %(visit)s: the deadline cannot be before the "
                                        "planned date.") % {"visit": visit.name})

    @api.onchange("archive_id")
    def _onchange_archive_id(self):
        if self.archive_id:
            self.partner_id = self.archive_id.partner_id
            self.contact_id = self.archive_id.contact_id

    @api.model
    def create(self, vals):
        visit = super().create(vals)
        if visit.survey_id:
            visit._ensure_user_input()
        visit._schedule_visit_activity()
        return visit

    @api.multi
    def write(self, vals):
        if "survey_id" in vals and self.filtered(lambda v: v.user_input_id.state == "done"):
            raise UserError(_("The survey of an answered visit cannot be changed."))
        self._ensure_rule_dates_kept(vals)
        result = super().write(vals)
        if vals.get("survey_id"):
            self.filtered(lambda v: v.user_input_id.survey_id != v.survey_id)._write_owned(
                {"user_input_id": False})
            for visit in self:
                visit._ensure_user_input()
        return result

    @api.multi
    def unlink(self):
        if self.filtered(lambda v: v.state == "done" or v.rule_id):
            raise UserError(_("Done or planned-by-rule visits cannot be deleted; cancel or "
                              "archive them instead."))
        return super().unlink()

    # Actions

    @api.multi
    def action_done(self):
        """Close the visits as they are (scores from the survey, or none)."""
        self._guard_ensure_role(HOTLINE_GROUP, ENGINEER_GROUP)
        for visit in self:
            visit._ensure_planned()
        self._finish()

    @api.multi
    def action_record_answers(self):
        """Open the form where the visitor records what the customer answered by phone or on
        site, then closes the visit (R: V5)."""
        self.ensure_one()
        self._guard_ensure_role(HOTLINE_GROUP, ENGINEER_GROUP)
        self._ensure_planned()
        action = self.env.ref("aftersales_survey.aftersales_visit_answer_action").read()[0]
        action["context"] = {"default_visit_id": self.id}
        return action

    @api.multi
    def action_cancel(self):
        """A cancelled visit leaves the visit rate (K1): a manager's decision."""
        self._guard_ensure_role(MANAGER_GROUP)
        for visit in self:
            visit._ensure_planned()
        self._write_owned({"state": "cancel"})
        self.mapped("activity_ids").unlink()

    @api.multi
    def action_reset(self):
        self._guard_ensure_role(MANAGER_GROUP)
        if self.filtered(lambda v: v.state != "cancel"):
            raise UserError(_("Only cancelled visits can be planned again."))
        self._write_owned({"state": "planned"})

    @api.multi
    def action_send_survey(self):
        """Open the mail composer with the survey link (the customer answers by e-mail)."""
        self.ensure_one()
        self._ensure_planned()
        if not self.survey_id:
            raise UserError(_("Visit %(visit)s has no survey to send.") % {"visit": self.name})
        template = self.env.ref("aftersales_survey.mail_template_visit_survey")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_id": self.id,
                "default_use_template": True,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
            },
        }

    @api.multi
    def action_open_survey(self):
        """Fill in the survey on behalf of the customer (phone or on-site visit)."""
        self.ensure_one()
        self._ensure_planned()
        if not self.survey_url:
            raise UserError(_("Visit %(visit)s has no survey to fill in.") % {"visit": self.name})
        return {"type": "ir.actions.act_url", "target": "new", "url": self.survey_url}

    @api.multi
    def action_view_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.ticket",
            "view_mode": "form",
            "res_id": self.ticket_id.id,
        }

    # Business methods

    def _ensure_planned(self):
        if self.state != "planned":
            raise UserError(_("Visit %(visit)s is not planned any more (%(state)s).") % {
                "visit": self.name,
                "state": dict(self._fields["state"]._description_selection(self.env))[
                    self.state]})

    def _ensure_rule_dates_kept(self, vals):
        """R: V1-V4, K1 - a rule's visit is due when the rule says: moving its dates would move
        a late visit back on time."""
        moved = {"planned_date", "deadline"} & set(vals)
        if not moved or all(self._guard_allowed(name) for name in moved):
            return
        for visit in self.filtered("rule_id"):
            if any(visit[name] != vals[name] for name in moved):
                raise UserError(_("Visit %(visit)s was planned by rule %(rule)s: its planned date "
                                  "and deadline are the rule's.") % {
                                  "visit": visit.name, "rule": visit.rule_id.name})

    def _record_answers(self, vals):
        """Scores and suggestions the customer gave (survey or visitor), then done (R: V5)."""
        unknown = set(vals) - set(SCORE_FIELDS.values()) - {"suggestions"}
        if unknown:
            raise UserError(_("Only the scores and suggestions are answers of a visit."))
        for visit in self:
            visit._ensure_planned()
        self._write_owned(vals)
        self._finish()

    def _finish(self, done_date=None):
        today = done_date or fields.Date.context_today(self)
        for visit in self:
            visit._write_owned({"state": "done", "done_date": visit.done_date or today})
            visit._file_to_timeline()
            if visit.is_dissatisfied and not visit.ticket_id:
                # the visit's consequence, whoever recorded the answers (the customer on the
                # survey link, the hotline or the engineer): opened as the system
                ticket = self.env["aftersales.ticket"].sudo().create(visit._prepare_ticket_vals())
                visit._write_owned({"ticket_id": ticket.id})
                visit.message_post(body=_("Customer dissatisfied: follow-up request %(ticket)s "
                                          "created.") % {"ticket": visit.ticket_id.name})
        self.mapped("activity_ids").action_feedback(_("Visit done."))

    def _file_to_timeline(self):
        """R: A5 - the visit appears on the unit's timeline."""
        if not self.archive_id:
            return
        description = _("Return visit %(visit)s done") % {"visit": self.name}
        if self.is_rated:
            description += _(" (average score %(score).1f)") % {"score": self.score_average}
        self.env["aftersales.archive.event"]._create_owned({
            "archive_id": self.archive_id.id,
            "event_type": "visit",
            "name": description,
            "res_model": self._name,
            "res_id": self.id,
        })

    def _ensure_user_input(self):
        """The survey answer the customer fills in through the public link with its token."""
        if not self.survey_id or self.user_input_id:
            return
        partner = self.contact_id or self.partner_id
        self._write_owned({"user_input_id": self.env["survey.user_input"].sudo().create({
            "survey_id": self.survey_id.id,
            "type": "link",
            "partner_id": partner.id,
            "email": partner.email,
        }).id})

    def _schedule_visit_activity(self):
        if not self.user_id:
            return
        self._aftersales_schedule_activity(
            self.env.ref("aftersales_survey.mail_activity_type_visit"), self.user_id,
            self.rule_id.name or _("Return visit"), deadline=self.deadline)

    def _apply_survey_answers(self):
        """Fill scores and suggestions from the completed survey, then close the visit."""
        for visit in self.filtered(lambda v: v.state == "planned"):
            vals = {}
            suggestions = []
            for line in visit.user_input_id.user_input_line_ids.filtered(
                    lambda l: l.question_id.aftersales_dimension and not l.skipped):
                dimension = line.question_id.aftersales_dimension
                if dimension in SCORE_FIELDS and line.value_suggested:
                    vals[SCORE_FIELDS[dimension]] = int(line.value_suggested.quizz_mark)
                elif dimension == "suggestion":
                    suggestions.append(line.value_free_text or line.value_text or "")
            if suggestions:
                vals["suggestions"] = "\n".join(s for s in suggestions if s)
            visit._record_answers(vals)

    def _prepare_ticket_vals(self):
        low = [self._fields[f].string for f in SCORE_FIELDS.values()
               if self[f] and self[f] <= self.company_id.aftersales_dissatisfied_score]
        description = _("Customer dissatisfied during return visit %(visit)s with: %(dims)s.") % {
            "visit": self.name, "dims": ", ".join(low)}
        if self.suggestions:
            description += "\n" + self.suggestions
        return {
            "partner_id": self.partner_id.id,
            "contact_id": self.contact_id.id,
            "archive_id": self.archive_id.id,
            "channel": "visit",
            "is_complaint": True,
            "description": description,
            "company_id": self.company_id.id,
        }

    # Planning (the scheduled job and the after-repair hook)

    @api.model
    def _make_key(self, vals):
        return "%s/%s/%s/%s" % (vals["rule_id"], vals["partner_id"], vals.get("archive_id") or 0,
                                vals["period_key"])

    @api.model
    def _create_missing(self, vals_list):
        """Create the visits not planned yet; one search for all existing keys (idempotent)."""
        for vals in vals_list:
            vals["key"] = self._make_key(vals)
        existing = set(self.with_context(active_test=False).search(
            [("key", "in", [v["key"] for v in vals_list])]).mapped("key"))
        visits = self.browse()
        for vals in vals_list:
            if vals["key"] in existing:
                continue
            existing.add(vals["key"])
            vals["user_id"] = self._default_visitor(vals).id
            try:
                # Another run that committed since this one started (a manual run during the
                # scheduled one) may have planned it: the unique key refuses the copy, and this
                # run goes on with the next visit instead of failing as a whole.
                with self.env.cr.savepoint():
                    visits |= self._create_owned(vals)
            except psycopg2.IntegrityError as error:
                if error.pgcode != psycopg2.errorcodes.UNIQUE_VIOLATION:
                    raise
                _logger.info("Visit %s was planned by a concurrent run.", vals["key"])
        return visits

    @api.model
    def _default_visitor(self, vals):
        rule = self.env["aftersales.visit.rule"].browse(vals["rule_id"])
        archive = self.env["aftersales.archive"].browse(vals.get("archive_id"))
        partner = self.env["res.partner"].browse(vals["partner_id"])
        return rule.user_id or archive.sale_order_id.user_id or partner.user_id or self.env.user

    @api.model
    def _cron_plan_visits(self, today=None, batch_size=CRON_BATCH_SIZE):
        """Scheduled job: create every visit due by the active rules, never twice."""
        # One run at a time: a second one (run by hand while the scheduled one works) would
        # plan the same visits; it stops here and leaves the work to the first.
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s)", (PLAN_VISITS_LOCK,))
        if not self.env.cr.fetchone()[0]:
            _logger.info("Return visits are being planned by another run: skipped.")
            return self.browse()
        today = today or fields.Date.from_string(fields.Date.context_today(self))
        rules = self.env["aftersales.visit.rule"].search([])
        visit_ids = []
        # batch by batch of units, each committed (issue 8: memory bounded at any volume)
        for vals_list in rules._due_visit_batches(today, batch_size):
            visit_ids += self._create_missing(vals_list).ids
        return self.browse(visit_ids)

    @api.model
    def _plan_after_repair(self, archive, repair_date):
        """Public hook (R: V4): a major in-warranty repair of `archive` was done on
        `repair_date`; plan the visit within the rule's days. Safe to call twice."""
        if isinstance(repair_date, str):
            repair_date = fields.Date.from_string(repair_date)
        rules = self.env["aftersales.visit.rule"].search([
            ("rule_type", "=", "after_repair"), ("company_id", "=", archive.company_id.id)])
        return self._create_missing([rule._vals_after_repair(archive, repair_date)
                                     for rule in rules])

    @api.model
    def _major_warranty_repairs(self, date_from, today):
        """(archive, date) of the done in-warranty repairs known to mrp.repair, when the
        warranty addon adds a unit, a coverage decision and a done date to it (soft check,
        no dependency). The warranty addon may call `_plan_after_repair` instead."""
        if "mrp.repair" not in self.env:
            return []
        repair_fields = self.env["mrp.repair"]._fields
        decision = next((f for f in ("aftersales_coverage_decision", "coverage_decision")
                         if f in repair_fields), None)
        done_date = next((f for f in ("aftersales_done_date", "date_done")
                          if f in repair_fields), None)
        if "archive_id" not in repair_fields or not decision or not done_date:
            return []
        domain = [("state", "=", "done"), ("archive_id", "!=", False),
                  (decision, "in", ("warranty", "in_warranty", "covered")),
                  (done_date, ">=", fields.Date.to_string(date_from)),
                  (done_date, "<=", fields.Date.to_string(today))]
        for major in ("aftersales_major", "is_major"):
            if major in repair_fields:
                domain.append((major, "=", True))
        return [(repair.archive_id, fields.Date.from_string(repair[done_date][:10]))
                for repair in self.env["mrp.repair"].search(domain)]
