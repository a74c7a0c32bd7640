from odoo import api, fields, models, _
from odoo.exceptions import UserError

ENGINEER_GROUP = "aftersales_base.group_aftersales_engineer"
MANAGER_GROUP = "aftersales_base.group_aftersales_manager"


class AftersalesTraining(models.Model):
    """Handover training of the customer's operators on a unit (交接培训). R: T1, T2, K4.

    A done training is a record of who passed (issue 13): its state changes only through its
    actions (the engineer closes it, a manager reopens it) and nothing of it, trainees and
    their results included, changes while it is done.
    """

    _name = "aftersales.training"
    _description = "Handover Training"
    _inherit = ["aftersales.guard.mixin", "aftersales.sequence.mixin", "mail.thread",
                "mail.activity.mixin"]
    _order = "date desc, id desc"

    _guard_owned_fields = ("name", "state")
    _guard_editable_fields = ("company_id", "archive_id", "date", "trainer_id", "topics",
                              "usage_explained", "instructions_supplied",
                              "instruction_documents", "trainee_ids")
    _guard_open_states = ("draft",)
    _guard_locked_states = ("done",)

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id, index=True)
    state = fields.Selection(
        [("draft", "Planned"), ("done", "Done")], default="draft", required=True,
        readonly=True, copy=False, index=True, track_visibility="onchange")
    archive_id = fields.Many2one(
        "aftersales.archive", string="Unit", required=True, index=True,
        track_visibility="onchange")
    partner_id = fields.Many2one(
        related="archive_id.partner_id", string="Customer", store=True, readonly=True)
    product_id = fields.Many2one(
        related="archive_id.product_id", string="Product", store=True, readonly=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True,
                       track_visibility="onchange")
    trainer_id = fields.Many2one("res.users", string="Trainer",
                                 default=lambda self: self.env.user)
    topics = fields.Text(string="Topics", help="Operation, daily care, safety, programming...")
    # R: T2 - usage and precautions explained, product instructions supplied.
    usage_explained = fields.Boolean(string="Usage and Precautions Explained")
    instructions_supplied = fields.Boolean(string="Instructions Supplied")
    instruction_documents = fields.Text(
        string="Documents Handed Over", help="Manuals and instructions given to the customer.")
    trainee_ids = fields.One2many("aftersales.training.trainee", "training_id", string="Trainees")
    trainee_count = fields.Integer(string="Trainees", compute="_compute_pass_rate", store=True)
    passed_count = fields.Integer(string="Passed", compute="_compute_pass_rate", store=True)
    pass_rate = fields.Float(string="Pass Rate (%)", compute="_compute_pass_rate", store=True,
                             group_operator="avg")

    @api.depends("trainee_ids.passed")
    def _compute_pass_rate(self):
        for training in self:
            total = len(training.trainee_ids)
            passed = len(training.trainee_ids.filtered("passed"))
            training.update({
                "trainee_count": total,
                "passed_count": passed,
                "pass_rate": 100.0 * passed / total if total else 0.0,
            })

    @api.multi
    def unlink(self):
        if self.filtered(lambda t: t.state == "done"):
            raise UserError(_("Done trainings cannot be deleted; archive them instead."))
        return super().unlink()

    @api.multi
    def action_done(self):
        """R: T1, K4 - the engineer who trained closes it: the results are final."""
        self._guard_ensure_role(ENGINEER_GROUP)
        for training in self:
            training._ensure_can_finish()
        self._write_owned({"state": "done"})
        for training in self:
            training._file_to_timeline()

    @api.multi
    def action_reset(self):
        """A manager reopens a done training to correct it (the change is tracked)."""
        self._guard_ensure_role(MANAGER_GROUP)
        self.filtered(lambda t: t.state == "done")._write_owned({"state": "draft"})

    def _ensure_can_finish(self):
        if self.state != "draft":
            raise UserError(_("Training %(training)s is already done.") % {"training": self.name})
        if not self.trainee_ids:
            raise UserError(_("Training %(training)s has no trainees.")
                            % {"training": self.name})
        if not (self.usage_explained and self.instructions_supplied):
            raise UserError(_("Training %(training)s: explain usage and precautions and supply "
                              "the instructions before closing it.") % {"training": self.name})

    def _ensure_trainees_open(self, what):
        done = self.filtered(lambda t: t.state == "done")
        if done:
            raise UserError(_("Training %(training)s is done: %(what)s; a manager may reset "
                              "it to planned first (Reopen).")
                            % {"training": done[0].name, "what": what})

    def _file_to_timeline(self):
        self.env["aftersales.archive.event"]._create_owned({
            "archive_id": self.archive_id.id,
            "event_type": "other",
            "name": _("Handover training %(training)s: %(passed)s of %(total)s trainees passed") % {
                "training": self.name, "passed": self.passed_count, "total": self.trainee_count},
            "res_model": self._name,
            "res_id": self.id,
        })


class AftersalesTrainingTrainee(models.Model):
    """A trainee and the result (R: T1): fixed once the training is done (K4, issue 13)."""

    _name = "aftersales.training.trainee"
    _description = "Handover Training Trainee"
    _inherit = ["aftersales.guard.mixin"]
    _order = "training_id, id"

    _guard_state_field = "training_state"
    _guard_editable_fields = ("training_id", "name", "job", "passed", "note")
    _guard_open_states = ("draft",)
    _guard_locked_states = ("done",)
    # the trainer grades (R: T1)
    _guard_field_roles = {"passed": (ENGINEER_GROUP,)}

    training_id = fields.Many2one(
        "aftersales.training", required=True, index=True, ondelete="cascade")
    training_state = fields.Selection(
        related="training_id.state", string="Training Status", readonly=True)
    name = fields.Char(string="Trainee", required=True)
    job = fields.Char(string="Position")
    passed = fields.Boolean(string="Passed")
    note = fields.Char(string="Note")

    @api.model
    def create(self, vals):
        self.env["aftersales.training"].browse(vals.get("training_id"))._ensure_trainees_open(
            _("trainees cannot be added"))
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if "training_id" in vals and any(t.training_id.id != vals["training_id"] for t in self):
            # moving a trainee changes the pass rate of both trainings (R: K4)
            self.mapped("training_id")._ensure_trainees_open(_("trainees cannot be moved"))
            self.env["aftersales.training"].browse(vals["training_id"])._ensure_trainees_open(
                _("trainees cannot be moved"))
        return super().write(vals)

    @api.multi
    def unlink(self):
        # The pass rate of a done training is a KPI (R: K4): its trainees stay.
        self.mapped("training_id")._ensure_trainees_open(_("trainees cannot be removed"))
        return super().unlink()
