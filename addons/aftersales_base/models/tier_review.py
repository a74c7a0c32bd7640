from odoo import api, models, _
from odoo.exceptions import UserError

from .aftersales_guard_mixin import cursor_flag, cursor_flag_is_set


class TierReview(models.Model):
    """Reviews of the suite's documents change only through their document's methods.

    base_tier_validation lets every user create, write and delete reviews (its access rights
    have no group), so a client could set `status='approved'` itself. Reviews of other models
    keep that behaviour: installing the suite takes nothing away from them.
    """

    _inherit = "tier.review"

    def _tier_allow(self):
        return cursor_flag(self.env.cr, "tier_review")

    def _tier_allowed(self):
        return cursor_flag_is_set(self.env.cr, "tier_review")

    @api.model
    def _tier_guarded_models(self):
        registry = self.env.registry
        mixin = registry["aftersales.tier.validation"]
        return {name for name, cls in registry.items()
                if cls is not mixin and issubclass(cls, mixin)}

    def _tier_ensure_allowed(self, model_names):
        if self._tier_allowed() or not (set(model_names) & self._tier_guarded_models()):
            return
        raise UserError(_("Approvals are given with the Approve and Reject buttons of the "
                          "document, not by editing its reviews."))

    @api.model
    def create(self, vals):
        self._tier_ensure_allowed([vals.get("model")])
        return super().create(vals)

    @api.multi
    def write(self, vals):
        self._tier_ensure_allowed(self.mapped("model") + [vals.get("model")])
        return super().write(vals)

    @api.multi
    def unlink(self):
        self._tier_ensure_allowed(self.mapped("model"))
        return super().unlink()
