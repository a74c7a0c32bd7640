from odoo import api, fields, models, _
from odoo.exceptions import UserError

# What a document reads from its reviews (base_tier_validation's fields), refreshed by
# `_tier_refresh`; a document adds the fields it computes from them.
TIER_CACHE_FIELDS = ("review_ids", "review_ids_dropdown", "validated", "rejected",
                     "need_validation", "reviewer_ids", "can_review", "tier_next_review")


class AftersalesTierValidation(models.AbstractModel):
    """OCA's tier validation with the rules the seed asks more (R: S10-S13).

    - Levels in order: a reviewer approves the first pending level only, lower definition
      sequences first.
    - Separation of duties: one person approves one level of a document, and nobody approves
      what they requested (the review's requester or the document's own requester).
    - Re-validation: a change of the fields named in `_tier_revalidate_fields` after a review
      was requested drops the reviews; the document's next step (`_tier_ensure_validated`)
      is refused until it is approved again.
    - Reviews of these documents change only through these methods (see `tier.review`).
    """

    _name = "aftersales.tier.validation"
    _inherit = "tier.validation"
    _description = "After-Sales Tier Validation"

    # fields whose change after a review was requested restarts the validation
    _tier_revalidate_fields = ()
    # field naming the user who asked for the document (a requester never approves it)
    _tier_requester_field = None
    # fields read from the reviews, refreshed by `_tier_refresh`
    _tier_cache_fields = TIER_CACHE_FIELDS

    tier_next_review = fields.Char(
        string="Next Approval", compute="_compute_tier_next_review",
        help="The level that must approve next.")

    @api.multi
    def _compute_tier_next_review(self):
        for rec in self:
            pending = rec._tier_pending_reviews()
            rec.tier_next_review = pending[:1].name or False

    # Order and duties ----------------------------------------------------------------------

    def _tier_ordered(self, reviews):
        return reviews.sorted(lambda r: (r.definition_id.sequence, r.sequence, r.id))

    def _tier_pending_reviews(self):
        self.ensure_one()
        return self._tier_ordered(self.review_ids.filtered(lambda r: r.status != "approved"))

    def _tier_requesters(self):
        self.ensure_one()
        users = self.review_ids.mapped("requested_by")
        if self._tier_requester_field:
            users |= self[self._tier_requester_field]
        return users

    def _tier_refresh(self):
        """Reviews point to their document by an integer, not a many2one, and tier.validation's
        flags have no dependencies: the ORM does not refresh them when reviews change."""
        self.invalidate_cache(list(self._tier_cache_fields), self.ids)

    def _tier_ensure_can_review(self, review, user):
        """R: S11 - every level in order, by another person each, never the requester."""
        if user in self._tier_requesters():
            raise UserError(_(
                "%(user)s requested %(document)s and cannot approve it.") % {
                "user": user.name, "document": self.display_name})
        if self.review_ids.filtered(lambda r: r.done_by == user and r.status == "approved"):
            raise UserError(_(
                "%(user)s already approved a level of %(document)s: each level needs another "
                "person.") % {"user": user.name, "document": self.display_name})
        if user not in review.reviewer_ids:
            raise UserError(_(
                "The next approval of %(document)s is %(level)s: %(user)s is not one of its "
                "reviewers.") % {"document": self.display_name, "level": review.name,
                                 "user": user.name})

    # Base tier validation, with our rules ------------------------------------------------

    def _validate_tier(self, tiers=False):
        """Approve the next level only, as the current user."""
        self.ensure_one()
        user = self.env.user
        pending = self._tier_ordered(
            (tiers or self.review_ids).filtered(lambda r: r.status in ("pending", "rejected")))
        if not pending:
            return
        review = pending[0]
        if user not in review.reviewer_ids:
            # the automatic try of tier.validation's write: nothing to approve for this user
            if tiers:
                return
        self._tier_ensure_can_review(review, user)
        with self.env["tier.review"]._tier_allow():
            review.write({"status": "approved", "done_by": user.id,
                          "reviewed_date": fields.Datetime.now()})
        self._notify_accepted_reviews()

    @api.multi
    def validate_tier(self):
        for rec in self:
            if not rec.review_ids.filtered(lambda r: r.status != "approved"):
                raise UserError(_("%(document)s has no approval pending.")
                                % {"document": rec.display_name})
        return super().validate_tier()

    @api.multi
    def reject_tier(self):
        for rec in self:
            pending = rec._tier_pending_reviews()
            if not pending or self.env.user not in pending[0].reviewer_ids:
                raise UserError(_("You are not the next reviewer of %(document)s.")
                                % {"document": rec.display_name})
        with self.env["tier.review"]._tier_allow():
            return super().reject_tier()

    @api.multi
    def request_validation(self):
        with self.env["tier.review"]._tier_allow():
            return super().request_validation()

    @api.multi
    def restart_validation(self):
        with self.env["tier.review"]._tier_allow():
            return super().restart_validation()

    def _tier_restart(self):
        """Drop the reviews whatever the state: what they approved has changed."""
        reviews = self.mapped("review_ids")
        if not reviews:
            return
        with self.env["tier.review"]._tier_allow():
            reviews.unlink()
        for rec in self:
            rec.message_post(body=_(
                "Changed after its approval was requested: the approval starts again."))

    def _tier_is_validated(self):
        """Approved by every level that applies, or needing no approval."""
        self.ensure_one()
        if self.review_ids:
            return self.validated
        return not any(self.evaluate_tier(tier) for tier in self.env["tier.definition"].search(
            [("model", "=", self._name)]))

    def _tier_ensure_validated(self):
        for rec in self:
            if not rec._tier_is_validated():
                raise UserError(_(
                    "%(document)s is not approved: request its validation and wait for every "
                    "level (next: %(level)s).") % {
                    "document": rec.display_name,
                    "level": rec.tier_next_review or _("not requested yet")})

    @api.multi
    def write(self, vals):
        if {"review_ids", "review_ids_dropdown"} & set(vals):
            raise UserError(_("Approvals are given with the Approve and Reject buttons, not by "
                              "editing."))
        revalidate = set(vals) & set(self._tier_revalidate_fields)
        with self.env["tier.review"]._tier_allow():
            res = super().write(vals)
        if revalidate:
            self.filtered("review_ids")._tier_restart()
        return res

    def _notify_accepted_reviews_body(self):
        return _("Approved by %(user)s.") % {"user": self.env.user.name}
