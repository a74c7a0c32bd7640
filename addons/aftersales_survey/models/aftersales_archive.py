from odoo import api, fields, models

from odoo.addons.aftersales_base.models.aftersales_guard_mixin import GuardExtension


class AftersalesArchive(models.Model):
    _inherit = "aftersales.archive"

    # the documents made by their own flows: not created or moved by editing this list
    _guard_owned_fields = GuardExtension("visit_ids", "training_ids")

    visit_ids = fields.One2many("aftersales.visit", "archive_id", string="Return Visits")
    visit_count = fields.Integer(string="Visits", compute="_compute_visit_count")
    training_ids = fields.One2many("aftersales.training", "archive_id",
                                   string="Handover Trainings")
    training_count = fields.Integer(string="Trainings", compute="_compute_visit_count")

    def _compute_visit_count(self):
        for model, field in (("aftersales.visit", "visit_count"),
                             ("aftersales.training", "training_count")):
            groups = self.env[model].read_group(
                [("archive_id", "in", self.ids)], ["archive_id"], ["archive_id"])
            counts = {g["archive_id"][0]: g["archive_id_count"] for g in groups}
            for archive in self:
                archive[field] = counts.get(archive.id, 0)

    @api.multi
    def action_view_visits(self):
        return self._action_for("aftersales_survey.aftersales_visit_action")

    @api.multi
    def action_view_trainings(self):
        return self._action_for("aftersales_survey.aftersales_training_action")

    def _action_for(self, xmlid):
        self.ensure_one()
        action = self.env.ref(xmlid).read()[0]
        action["domain"] = [("archive_id", "=", self.id)]
        action["context"] = {"default_archive_id": self.id,
                             "default_partner_id": self.partner_id.id}
        return action
