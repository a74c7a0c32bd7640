from odoo import api, fields, models, _
from odoo.exceptions import ValidationError


class AftersalesHotlineTeam(models.Model):
    """The hotline team (issue 15, R: S1, S2): like a sales team, a configurable group of users
    with a leader and its own e-mail alias. New requests of every channel land in its queue,
    every member hears of them; a member takes one, or the leader assigns it."""

    _name = "aftersales.hotline.team"
    _description = "Hotline Team"
    _inherit = ["mail.alias.mixin", "mail.thread"]
    _order = "sequence, id"

    name = fields.Char(string="Team", required=True, translate=True, track_visibility="onchange")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", string="Company", required=True, index=True,
        default=lambda self: self.env.user.company_id)
    user_id = fields.Many2one(
        "res.users", string="Team Leader", domain=[("share", "=", False)],
        track_visibility="onchange", help="Assigns the requests of the queue to the members.")
    member_ids = fields.Many2many(
        "res.users", "aftersales_hotline_team_member_rel", "team_id", "user_id",
        string="Members", domain=[("share", "=", False)],
        help="They are told of every new request of the team and may take it.")
    alias_id = fields.Many2one(
        "mail.alias", string="Alias", ondelete="restrict", required=True,
        help="E-mails to this address open service requests in this team's queue.")
    ticket_ids = fields.One2many("aftersales.ticket", "team_id", string="Service Requests")
    unassigned_count = fields.Integer(
        string="Unassigned", compute="_compute_queue_counts")
    open_count = fields.Integer(string="Open", compute="_compute_queue_counts")

    @api.constrains("user_id", "member_ids", "company_id")
    def _check_people_of_the_company(self):
        for team in self:
            people = team.user_id | team.member_ids
            strangers = people.filtered(lambda user: team.company_id not in user.company_ids)
            if strangers:
                raise ValidationError(_(
                    "%(people)s cannot join the hotline team %(team)s: they do not work for "
                    "%(company)s.") % {"people": ", ".join(strangers.mapped("name")),
                                      "team": team.name, "company": team.company_id.name})

    def _compute_queue_counts(self):
        # imported here: the team's table is created before the ticket's, whose team default
        # reads it (models/__init__.py), so this module must not define the ticket first
        from .aftersales_ticket import OPEN_STATES
        domain = [("team_id", "in", self.ids), ("state", "in", OPEN_STATES)]
        Ticket = self.env["aftersales.ticket"]
        open_counts = {group["team_id"][0]: group["team_id_count"] for group in
                       Ticket.read_group(domain, ["team_id"], ["team_id"])}
        unassigned = {group["team_id"][0]: group["team_id_count"] for group in
                      Ticket.read_group(domain + [("user_id", "=", False)],
                                        ["team_id"], ["team_id"])}
        for team in self:
            team.open_count = open_counts.get(team.id, 0)
            team.unassigned_count = unassigned.get(team.id, 0)

    # Mail alias ----------------------------------------------------------------------------

    def get_alias_model_name(self, vals):
        return "aftersales.ticket"

    def get_alias_values(self):
        values = super().get_alias_values()
        values["alias_defaults"] = repr({"team_id": self.id, "channel": "email"})
        return values

    # People --------------------------------------------------------------------------------

    def _people(self):
        """The members and the leader."""
        return self.mapped("member_ids") | self.mapped("user_id")

    @api.model
    def _team_of(self, user, company):
        """The queue a new request of `company` lands in: the first team `user` belongs to,
        else the company's first team."""
        teams = self.search([("company_id", "=", company.id)])
        mine = teams.filtered(lambda team: user in team._people())
        return mine[:1] or teams[:1]

    # Actions -------------------------------------------------------------------------------

    @api.multi
    def action_view_queue(self):
        self.ensure_one()
        action = self.env.ref("aftersales_base.aftersales_ticket_action_queue").read()[0]
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id, "search_default_unassigned": 1}
        return action
