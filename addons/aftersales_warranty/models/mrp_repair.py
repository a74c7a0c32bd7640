from odoo import api, fields, models, _
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from odoo.addons.aftersales_base.models.aftersales_guard_mixin import (
    cursor_flag, cursor_flag_is_set)

from .aftersales_warranty_policy import DECISIONS

HOTLINE = "aftersales_base.group_aftersales_hotline"
ENGINEER = "aftersales_base.group_aftersales_engineer"
# Odoo's own repair flow writes these through its buttons (confirm, start, end, invoice). On an
# after-sales repair nobody else writes them (issue 13); on any other repair Odoo's rights
# still rule, so that installing the suite takes nothing away from stock users.
REPAIR_FLOW_FIELDS = ("state", "invoice_id", "invoiced", "move_id", "repaired")
# What the coverage is decided from: changed in the quotation only, then decided again.
COVERAGE_INPUTS = ("archive_id", "ticket_id", "exclusion_id")
# States past the quotation in which a restarted approval is requested again: the next step
# (start, end of repair, invoice) waits for it (R: S11).
REVALIDATION_STATES = ("confirmed", "ready", "under_repair", "2binvoiced", "invoice_except")
# base_tier_validation's fields read from reviews found by model and id (not a many2one): the
# cache does not follow new or dropped reviews within one transaction, so they are read afresh.
class MrpRepair(models.Model):
    _name = "mrp.repair"
    _inherit = ["aftersales.guard.mixin", "mrp.repair", "aftersales.tier.validation"]

    # Workflow guard (issue 13): no state is locked, Odoo's fields stay Odoo's; what is
    # protected is the coverage, the goodwill request, the approvals and (on after-sales
    # repairs) the fields of the repair flow.
    _guard_owned_fields = REPAIR_FLOW_FIELDS + (
        "coverage_decision", "coverage_reason", "coverage_warranty_id", "free_of_charge",
        "review_ids")
    _guard_editable_fields = (
        # Odoo's repair order
        "name", "product_id", "product_qty", "product_uom", "partner_id", "address_id",
        "location_id", "location_dest_id", "lot_id", "guarantee_limit", "operations",
        "pricelist_id", "partner_invoice_id", "invoice_method", "fees_lines", "company_id",
        # after-sales
        "ticket_id", "archive_id", "exclusion_id")
    _guard_free_fields = ("internal_notes", "quotation_notes")
    _guard_open_states = (
        "draft", "cancel", "confirmed", "under_repair", "ready", "2binvoiced", "invoice_except",
        "done")
    _guard_locked_states = ()

    # Approvals (R: S11, S12, S13): tier.definition records of data/tier_definition_data.xml
    _state_from = ["draft"]
    _state_to = ["confirmed", "2binvoiced", "ready", "under_repair", "done"]
    _cancel_state = "cancel"
    _tier_revalidate_fields = (
        "operations", "fees_lines", "pricelist_id", "invoice_method", "archive_id",
        "exclusion_id", "coverage_decision", "free_of_charge")
    _tier_requester_field = "create_uid"

    # Origin
    ticket_id = fields.Many2one(
        "aftersales.ticket", string="Service Request", index=True, track_visibility="onchange")
    archive_id = fields.Many2one(
        "aftersales.archive", string="Unit", index=True, track_visibility="onchange")
    # Coverage (R: W1-W6): written by the coverage engine only (`_decide_coverage`)
    coverage_decision = fields.Selection(
        DECISIONS, string="Coverage", index=True, readonly=True, copy=False,
        track_visibility="onchange")
    coverage_reason = fields.Text(string="Coverage Reason", readonly=True, copy=False)
    coverage_warranty_id = fields.Many2one(
        "aftersales.warranty", string="Covering Contract", readonly=True, copy=False)
    exclusion_id = fields.Many2one("aftersales.warranty.exclusion", string="Out-of-Warranty Cause")
    free_of_charge = fields.Boolean(
        string="Goodwill Requested", readonly=True, copy=False, track_visibility="onchange",
        help="A paid case repaired free of charge: requested with the Request Goodwill button, "
             "approved by the general manager before confirmation (R: S13).")
    is_free = fields.Boolean(
        string="Free Repair", compute="_compute_is_free", store=True,
        help="Nothing is billed to the customer.")
    # Cost (R: S11), stored: the approval levels apply by a domain on them
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency", readonly=True)
    parts_cost = fields.Monetary(
        compute="_compute_internal_cost", store=True, currency_field="company_currency_id")
    labour_cost = fields.Monetary(
        compute="_compute_internal_cost", store=True, currency_field="company_currency_id")
    travel_cost = fields.Monetary(
        compute="_compute_internal_cost", store=True, currency_field="company_currency_id")
    internal_cost = fields.Monetary(
        compute="_compute_internal_cost", store=True, currency_field="company_currency_id",
        help="What the repair costs the company: parts, labour and travel at cost.")
    cost_over_threshold = fields.Boolean(
        string="Above the Approval Threshold", compute="_compute_cost_over_threshold",
        store=True, index=True,
        help="The internal cost exceeds the company's repair approval threshold: the cost "
             "budget is approved by every level (R: S11).")

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

    @api.depends("internal_cost", "company_id.aftersales_approval_threshold")
    def _compute_cost_over_threshold(self):
        for repair in self:
            currency = repair.company_id.currency_id or self.env.user.company_id.currency_id
            repair.cost_over_threshold = float_compare(
                repair.internal_cost, repair.company_id.aftersales_approval_threshold,
                precision_rounding=currency.rounding) > 0

    @api.constrains("invoice_method", "state", "coverage_decision", "free_of_charge")
    def _check_paid_repair_invoiced(self):
        """R: S12, S13 - a paid repair is invoiced; only an approved goodwill makes it free."""
        for repair in self:
            if repair.coverage_decision == "paid" and not repair.free_of_charge \
                    and repair.state not in ("draft", "cancel") \
                    and repair.invoice_method == "none":
                raise ValidationError(_(
                    "Repair %(repair)s is paid: it is invoiced. A free repair out of warranty "
                    "is requested as goodwill and approved by the general manager.") % {
                    "repair": repair.name})

    @api.onchange("archive_id")
    def _onchange_archive_id(self):
        if self.archive_id:
            self.product_id = self.archive_id.product_id
            self.product_uom = self.archive_id.product_id.uom_id
            self.lot_id = self.archive_id.lot_id
            self.partner_id = self.archive_id.partner_id

    # CRUD

    @api.model
    def create(self, vals):
        # R: W1-W6 - the coverage comes from the engine, never from the client's values
        repair = super().create(vals)
        if repair.archive_id:
            repair._decide_coverage()
        return repair

    @api.multi
    def write(self, vals):
        self._tier_refresh()
        inputs = set(COVERAGE_INPUTS) & set(vals)
        if inputs:
            self._ensure_coverage_inputs_editable(vals, inputs)
        if vals.get("state") in self._state_to:
            # R: S11-S13 - no step past an approval that is pending or was restarted
            self._tier_ensure_validated()
        res = super().write(vals)
        if inputs:
            for repair in self.filtered(lambda r: r.state == "draft" and r.archive_id):
                repair._decide_coverage()
        return res

    # Guard

    def _is_aftersales_repair(self):
        self.ensure_one()
        return bool(self.archive_id or self.ticket_id or self.coverage_decision)

    @api.multi
    def _guard_check_write(self, vals):
        if not any(repair._is_aftersales_repair() for repair in self):
            # a repair of Odoo's own flow (no unit, no service request): Odoo's rights rule
            vals = {name: value for name, value in vals.items()
                    if name not in REPAIR_FLOW_FIELDS}
        return super()._guard_check_write(vals)

    def _repair_flow(self):
        """Odoo's buttons own the fields of the repair flow."""
        return self._guard_allow(REPAIR_FLOW_FIELDS)

    def _ensure_coverage_inputs_editable(self, vals, names):
        for repair in self:
            changed = [name for name in names
                       if (vals[name] or False) != (repair[name].id or False)]
            if not changed:
                continue
            if repair.state != "draft":
                raise UserError(_(
                    "The unit, the service request and the out-of-warranty cause of repair "
                    "%(repair)s are decided before confirmation.") % {"repair": repair.name})
            cleared = [name for name in changed
                       if name in ("archive_id", "ticket_id") and not vals[name]]
            if cleared:
                raise UserError(_(
                    "Repair %(repair)s is an after-sales repair: its unit and its service "
                    "request can be changed, not removed.") % {"repair": repair.name})

    # Actions: coverage and goodwill (R: W1-W6, S13)

    @api.multi
    def action_decide_coverage(self):
        self._guard_ensure_role(HOTLINE, ENGINEER)
        for repair in self:
            repair._ensure_draft()
            repair._decide_coverage()
        return True

    @api.multi
    def action_request_goodwill(self):
        """R: S13 - ask the general manager to repair a paid case free of charge."""
        self._guard_ensure_role(HOTLINE, ENGINEER)
        for repair in self:
            repair._ensure_draft()
            if repair.coverage_decision != "paid":
                raise UserError(_(
                    "Repair %(repair)s is not paid: there is no goodwill to request.") % {
                    "repair": repair.name})
        requests = self.filtered(lambda r: not r.free_of_charge)
        requests._write_owned({"free_of_charge": True})
        requests.request_validation()
        return True

    @api.multi
    def action_withdraw_goodwill(self):
        self._guard_ensure_role(HOTLINE, ENGINEER)
        for repair in self:
            repair._ensure_draft()
        self.filtered("free_of_charge")._write_owned({"free_of_charge": False})
        return True

    # Actions: Odoo's repair flow, past its approvals (R: S11-S13)

    @api.multi
    def action_repair_confirm(self):
        drafts = self.filtered(lambda r: r.state == "draft")
        drafts._tier_ensure_validated()
        with self._repair_flow():
            for repair in drafts:
                repair._apply_coverage_billing()
            return super().action_repair_confirm()

    @api.multi
    def action_repair_start(self):
        self._tier_ensure_validated()
        with self._repair_flow():
            return super().action_repair_start()

    @api.multi
    def action_repair_end(self):
        self._tier_ensure_validated()
        with self._repair_flow():
            return super().action_repair_end()

    @api.multi
    def action_repair_done(self):
        with self._repair_flow():
            res = super().action_repair_done()
        self._file_part_replacements()
        return res

    @api.multi
    def action_repair_ready(self):
        # Odoo calls it once a repair invoiced before repair is invoiced; it checks no state:
        # an after-sales quotation is not made ready past its confirmation (billing, approvals)
        skipped = self.filtered(lambda r: r._is_aftersales_repair() and r.state != "2binvoiced")
        if skipped:
            raise UserError(_(
                "Repair %(repair)s is ready to repair once confirmed and invoiced before "
                "repair.") % {"repair": skipped[0].name})
        with self._repair_flow():
            return super().action_repair_ready()

    @api.multi
    def action_repair_cancel(self):
        with self._repair_flow():
            return super().action_repair_cancel()

    @api.multi
    def action_repair_cancel_draft(self):
        with self._repair_flow():
            return super().action_repair_cancel_draft()

    @api.multi
    def action_invoice_create(self, group=False):
        with self._repair_flow():
            return super().action_invoice_create(group=group)

    @api.multi
    def action_repair_invoice_create(self):
        with self._repair_flow():
            return super().action_repair_invoice_create()

    # Tier validation: approved again past the quotation (R: S11)

    def _tier_applies(self):
        self.ensure_one()
        return any(self.evaluate_tier(definition) for definition in
                   self.env["tier.definition"].search([("model", "=", self._name)]))

    @api.multi
    def _compute_need_validation(self):
        super()._compute_need_validation()
        for repair in self.filtered(
                lambda r: r.state in REVALIDATION_STATES and not r.review_ids):
            repair.need_validation = repair._tier_applies()

    @api.model
    def _get_under_validation_exceptions(self):
        # under validation the quotation still changes what its approval is about (then the
        # approval starts again) and its notes
        return super()._get_under_validation_exceptions() + list(
            self._tier_revalidate_fields) + [
            "coverage_reason", "coverage_warranty_id", "ticket_id"] + list(
            self._guard_free_fields)

    @api.multi
    def request_validation(self):
        self._tier_refresh()
        later = self.filtered(lambda r: r.state in REVALIDATION_STATES)
        reviews = super(MrpRepair, self - later).request_validation()
        reviews |= later._tier_request_again()
        self._tier_refresh()
        return reviews

    @api.multi
    def restart_validation(self):
        self._tier_refresh()
        later = self.filtered(lambda r: r.state in REVALIDATION_STATES)
        with self.env["tier.review"]._tier_allow():
            later.mapped("review_ids").unlink()
        res = super(MrpRepair, self - later).restart_validation()
        self._tier_refresh()
        return res

    @api.multi
    def validate_tier(self):
        self._tier_refresh()
        res = super().validate_tier()
        self._tier_refresh()
        return res

    @api.multi
    def reject_tier(self):
        self._tier_refresh()
        res = super().reject_tier()
        self._tier_refresh()
        return res

    def _tier_ensure_validated(self):
        self._tier_refresh()
        return super()._tier_ensure_validated()

    def _tier_request_again(self):
        """base_tier_validation's request, for a repair past its quotation whose approval was
        restarted by a change of its cost or lines."""
        Review = self.env["tier.review"]
        created = Review
        definitions = self.env["tier.definition"].search(
            [("model", "=", self._name)], order="sequence desc")
        with Review._tier_allow():
            for repair in self.filtered("need_validation"):
                sequence = 0
                for definition in definitions:
                    if repair.evaluate_tier(definition):
                        sequence += 1
                        created |= Review.create({
                            "model": self._name, "res_id": repair.id,
                            "definition_id": definition.id, "sequence": sequence,
                            "requested_by": self.env.uid})
        if created:
            self._update_counter()
            self._notify_review_requested(created)
        return created

    def _tier_hold(self):
        """Our own billing at confirmation changes prices: not a change to approve again."""
        return cursor_flag(self.env.cr, "repair_billing")

    def _tier_restart(self):
        if cursor_flag_is_set(self.env.cr, "repair_billing"):
            return
        self._tier_refresh()
        res = super()._tier_restart()
        self._tier_refresh()
        return res

    # Coverage and billing (R: S12, W3)

    def _ensure_draft(self):
        if self.state != "draft":
            raise UserError(_("The coverage of repair %(repair)s is decided before "
                              "confirmation.") % {"repair": self.name})

    def _prepare_coverage_vals(self):
        self.ensure_one()
        date = (self.ticket_id and self.ticket_id._get_fault_date()) or \
            fields.Date.context_today(self)
        result = self.env["aftersales.warranty.policy"]._decide_coverage(
            self.archive_id, date, exclusion=self.exclusion_id,
            is_doa=self.ticket_id.is_doa)
        vals = {
            "coverage_decision": result["decision"],
            "coverage_reason": result["reason"],
            "coverage_warranty_id": result["warranty_id"],
        }
        if result["decision"] != "paid":
            vals["free_of_charge"] = False
        return vals

    def _decide_coverage(self):
        self.ensure_one()
        if not self.archive_id:
            raise UserError(_("Repair %(repair)s names no unit.") % {"repair": self.name})
        vals = self._prepare_coverage_vals()
        changed = {name: value for name, value in vals.items()
                   if value != (self[name].id if name == "coverage_warranty_id"
                                else self[name])}
        if changed:
            self._write_owned(changed)

    def _get_uncovered_kinds(self):
        """Kinds of lines ('parts', 'labour', 'travel') the customer pays for."""
        if not self.coverage_decision or not self.is_free:
            return {"parts", "labour", "travel"}
        # read as the system: a stock user of Odoo's repair flow confirms an after-sales repair
        # without reading warranty contracts; what is covered is the contract's policy anyway
        contract = self.coverage_warranty_id.sudo()
        policy = contract.contract_type == "standard" and contract.policy_id
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
        with self._tier_hold():
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

    # Archive timeline (R: A5)

    def _file_part_replacements(self):
        Event = self.env["aftersales.archive.event"]
        if not Event.check_access_rights("create", raise_exception=False):
            # a stock user of Odoo's repair flow ends the repair: the unit's timeline is filed
            # all the same (the event names the repair)
            Event = Event.sudo()
        for repair in self.filtered("archive_id"):
            archive = repair.archive_id.with_env(Event.env)
            removed = repair.operations.filtered(lambda l: l.type == "remove")
            for line in repair.operations.filtered(lambda l: l.type == "add"):
                Event._create_owned({
                    "archive_id": archive.id,
                    "event_type": "part_replacement",
                    "name": _("%(part)s replaced by repair %(repair)s") % {
                        "part": line.product_id.display_name, "repair": repair.name},
                    "res_model": repair._name,
                    "res_id": repair.id,
                })
            if removed:
                archive.message_post(body=_(
                    "Repair %(repair)s: defective parts kept by the company: %(parts)s") % {
                    "repair": repair.name,
                    "parts": ", ".join(removed.mapped("product_id.display_name"))})
