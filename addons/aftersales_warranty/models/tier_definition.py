from odoo import api, models


class TierDefinition(models.Model):
    _inherit = "tier.definition"

    @api.model
    def _get_tier_validation_model_names(self):
        # R: S11-S13 - repair orders are approved through tier definitions
        return super()._get_tier_validation_model_names() + ["mrp.repair"]
