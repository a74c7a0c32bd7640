from odoo import api, models


class TierDefinition(models.Model):
    _inherit = "tier.definition"

    @api.model
    def _get_tier_validation_model_names(self):
        """The documents of this addon approved by tier validation (R: S10)."""
        names = super()._get_tier_validation_model_names()
        names.append("aftersales.repair.notice")
        return names
