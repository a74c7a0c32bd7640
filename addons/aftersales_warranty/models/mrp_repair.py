from odoo import api, fields, models, _
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .aftersales_warranty_policy import DECISIONS


class MrpRepair(models.Model):
    _inherit = "mrp.repair"

    # Origin
    ticket_id = fields.Many2one(
        "aftersales.ticket", string="Service Request", index=True, track_visibility="onchange")
    archive_id = fields.Many2one(
        "aftersales.archive", string="Unit", index=True, track_visibility="onchange")
    # Coverage (R: W1-W6)
    # set by the coverage decision only, so that nobody turns a paid case into a free one
    # without the approvals it needs (R: S13)
    coverage_decision = fields.Selection(
        DECISIONS, string="Coverage", index=True, readonly=True, track_visibility="onchange")
    coverage_reason = fields.Text(string="Coverage Reason", readonly=True)
    coverage_warranty_id = fields.Many2one(
        "aftersales.warranty", string="Covering Contract", readonly=True)
    exclusion_id = fields.Many2one("aftersales.warranty.exclusion", string="Out-of-Warranty Cause")
    free_of_charge = fields.Boolean(
        string="Free of Charge (Goodwill)", track_visibility="onchange",
        states={"confirmed": [("readonly", True)]},
        help="Repair a paid case for free: needs the general manager's approval (R: S13).")
    is_free = fields.Boolean(
        string="Free Repair", compute="_compute_is_free", store=True,
        help="Nothing is billed to the customer.")
    # Cost (R: S11)
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency", readonly=True)
    parts_cost = fields.Monetary(
        compute="_compute_internal_cost", currency_field="company_currency_id")
    labour_cost = fields.Monetary(
        compute="_compute_internal_cost", currency_field="company_currency_id")
    travel_cost = fields.Monetary(
        compute="_compute_internal_cost", currency_field="company_currency_id")
    internal_cost = fields.Monetary(
        compute="_compute_internal_cost", currency_field="company_currency_id",
        help="What the repair costs the company: parts, labour and travel at cost.")
    # Approvals (R: S11, S13)
    approval_ids = fields.One2many(
        "mrp.repair.approval", "repair_id", string="Approvals", readonly=True)
    approval_state = fields.Selection(
        [("not_required", "Not Required"), ("pending", "Waiting for Approval"),
         ("approved", "Approved")],
        compute="_compute_approval_state", string="Approval")
    next_approval = fields.Char(compute="_compute_approval_state", string="Next Approval")

    @api.depends("coverage_decision", "free_of_charge")
    def _compute_is_free(self):
        for repair in self:
            repair.is_free = bool(repair.coverage_decision) and (
                repair.coverage_decision != "paid" or repair.free_of_charge)

    @api.depends("operations.product_id", "operations.product_uom_qty", "operations.type",
                 "fees_lines.product_id", "fees_lines.product_uom_qty", "fees_lines.fee_type")
    def _compute_internal_cost(self):
        for repair in self:
            parts = sum(line._get_cost() for line in repair.operations
                        if line.type == "add")
            labour = sum(fee._get_cost() for fee in repair.fees_lines
                         if fee.fee_type != "travel")
            travel = sum(fee._get_cost() for fee in repair.fees_lines
                         if fee.fee_type == "travel")
            repair.update({"parts_cost": parts, "labour_cost": labour, "travel_cost": travel,
                           "internal_cost": parts + labour + travel})

    @api.depends("approval_ids", "coverage_decision", "free_of_charge",
                 "operations.product_id", "operations.product_uom_qty", "operations.type",
                 "fees_lines.product_id", "fees_lines.product_uom_qty")
    def _compute_approval_state(self):
        for repair in self:
            pending = repair._get_pending_approvals()
            required = repair._get_required_approvals()
            repair.approval_state = (
                "pending" if pending else "approved" if required else "not_required")
            repair.next_approval = pending and pending[0][1] or False

    @api.onchange("archive_id")
    def _onchange_archive_id(self):
        if self.archive_id:
            self.product_id = self.archive_id.product_id
            self.product_uom = self.archive_id.product_id.uom_id
            self.lot_id = self.archive_id.lot_id
            self.partner_id = self.archive_id.partner_id

    @api.model
    def create(self, vals):
        repair = super().create(vals)
        if repair.archive_id and not repair.coverage_decision:
            repair._decide_coverage()
        return repair

    # Actions

    @api.multi
    def action_decide_coverage(self):
        for repair in self:
            if repair.state != "draft":
                raise UserError(_("The coverage of repair %(repair)s is decided before "
                                  "confirmation.") % {"repair": repair.name})
            repair._decide_coverage()
        return True

    @api.multi
    def action_approve(self):
        """Approve the next pending level as the current user (R: S11, S13)."""
        for repair in self:
            repair._approve(self.env.user)
        return True

    @api.multi
    def action_repair_confirm(self):
        for repair in self.filtered(lambda r: r.state == "draft"):
            repair._ensure_approved()
            repair._apply_coverage_billing()
        return super().action_repair_confirm()

    @api.multi
    def action_repair_start(self):
        for repair in self:
            repair._ensure_approved()
        return super().action_repair_start()

    @api.multi
    def action_repair_done(self):
        res = super().action_repair_done()
        self._file_part_replacements()
        return res

    # Coverage and billing (R: S12, W3)

    def _decide_coverage(self):
        self.ensure_one()
        if not self.archive_id:
            raise UserError(_("Repair %(repair)s names no unit.") % {"repair": self.name})
        date = (self.ticket_id and self.ticket_id._get_fault_date()) or \
            fields.Date.context_today(self)
        result = self.env["aftersales.warranty.policy"]._decide_coverage(
            self.archive_id, date, exclusion=self.exclusion_id,
            is_doa=self.ticket_id.is_doa)
        self.write({
            "coverage_decision": result["decision"],
            "coverage_reason": result["reason"],
            "coverage_warranty_id": result["warranty_id"],
        })

    def _get_uncovered_kinds(self):
        """Kinds of lines ('parts', 'labour', 'travel') the customer pays for."""
        if not self.coverage_decision or not self.is_free:
            return {"parts", "labour", "travel"}
        policy = self.coverage_warranty_id.contract_type == "standard" \
            and self.coverage_warranty_id.policy_id
        if self.coverage_decision != "free_repair" or not policy:
            # replacements, DOA, extended contracts and goodwill repairs cover everything
            return set()
        return {kind for kind, covered in (("parts", policy.cover_parts),
                                           ("labour", policy.cover_labour),
                                           ("travel", policy.cover_travel)) if not covered}

    def _apply_coverage_billing(self):
        """Paid repairs bill parts, labour and travel through the repair invoice (R: S12);
        free repairs bill nothing that the warranty covers (R: W3)."""
        self.ensure_one()
        if not self.coverage_decision:
            return
        uncovered = self._get_uncovered_kinds()
        if uncovered == {"parts", "labour", "travel"}:
            if self.invoice_method == "none":
                self.invoice_method = "after_repair"
            return
        covered_parts = self.operations.filtered(
            lambda l: l.type == "add" and "parts" not in uncovered)
        covered_fees = self.fees_lines.filtered(lambda f: f._get_kind() not in uncovered)
        (covered_parts + self.operations.filtered(lambda l: l.type == "remove")).write(
            {"price_unit": 0.0})
        covered_fees.write({"price_unit": 0.0})
        billable = (self.operations - covered_parts).filtered(lambda l: l.type == "add") \
            or (self.fees_lines - covered_fees)
        self.invoice_method = "after_repair" if billable else "none"

    # Approvals (R: S11, S13)

    def _get_required_approvals(self):
        """[(level or False, label)] in approval order."""
        self.ensure_one()
        required = []
        threshold = self.company_id.aftersales_approval_threshold
        if self.internal_cost > threshold:
            levels = self.env["aftersales.approval.level"].search(
                [("company_id", "in", [self.company_id.id, False])])
            required += [(level, level.name) for level in levels]
        if self.free_of_charge and self.coverage_decision == "paid":
            required.append((False, _("General Manager")))
        return required

    def _get_pending_approvals(self):
        self.ensure_one()
        # an approval holds for the cost it approved: a dearer repair is approved again
        valid = self.approval_ids.filtered(
            lambda a: float_compare(a.cost, self.internal_cost, precision_digits=2) >= 0)
        done_levels = valid.mapped("level_id")
        gm_done = any(a.approval_type == "general_manager" for a in valid)
        return [(level, label) for level, label in self._get_required_approvals()
                if (level and level not in done_levels) or (not level and not gm_done)]

    def _ensure_approved(self):
        pending = self._get_pending_approvals()
        if pending:
            raise UserError(_("Repair %(repair)s cannot start before its approval by: "
                              "%(levels)s.") % {
                "repair": self.name, "levels": ", ".join(label for _l, label in pending)})

    def _approve(self, user):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(_("Repair %(repair)s is approved before confirmation.") % {
                "repair": self.name})
        pending = self._get_pending_approvals()
        if not pending:
            raise UserError(_("Repair %(repair)s needs no more approval.") % {
                "repair": self.name})
        level, label = pending[0]
        group = level.group_id if level else self.env.ref(
            "aftersales_warranty.group_aftersales_general_manager")
        if group not in user.groups_id:
            raise UserError(_("%(user)s cannot approve repair %(repair)s at level %(level)s: "
                              "only members of %(group)s can.") % {
                "user": user.name, "repair": self.name, "level": label,
                "group": group.full_name})
        approval = self.env["mrp.repair.approval"].sudo().create({
            "repair_id": self.id,
            "approval_type": "budget" if level else "general_manager",
            "level_id": level and level.id,
            "user_id": user.id,
            "cost": self.internal_cost,
        })
        self.message_post(body=_("Approved at level %(level)s by %(user)s on %(date)s.") % {
            "level": label, "user": user.name, "date": approval.date})
        return approval

    # Archive timeline (R: A5)

    def _file_part_replacements(self):
        Event = self.env["aftersales.archive.event"]
        for repair in self.filtered("archive_id"):
            removed = repair.operations.filtered(lambda l: l.type == "remove")
            for line in repair.operations.filtered(lambda l: l.type == "add"):
                Event._create_owned({
                    "archive_id": repair.archive_id.id,
                    "event_type": "part_replacement",
                    "name": _("%(part)s replaced by repair %(repair)s") % {
                        "part": line.product_id.display_name, "repair": repair.name},
                    "res_model": repair._name,
                    "res_id": repair.id,
                })
            if removed:
                repair.archive_id.message_post(body=_(
                    "Repair %(repair)s: defective parts kept by the company: %(parts)s") % {
                    "repair": repair.name,
                    "parts": ", ".join(removed.mapped("product_id.display_name"))})
