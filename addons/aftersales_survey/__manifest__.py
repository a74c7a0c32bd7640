# Copyright 2026 After-Sales Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "After-Sales Visits and Surveys",
    "summary": "Return visits, satisfaction surveys, handover training and after-sales KPIs",
    "version": "11.0.1.0.0",
    "category": "After-Sales",
    "website": "https://github.com/aftersales-suite/aftersales",
    "author": "After-Sales Suite contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["aftersales_base", "survey"],
    "data": [],
    "demo": [],
}
