# Copyright 2026 After-Sales Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "After-Sales Warranty",
    "summary": "Warranty policies and contracts, coverage decisions, repair orders with approvals and billing",
    "version": "11.0.1.0.0",
    "category": "After-Sales",
    "website": "https://github.com/aftersales-suite/aftersales",
    "author": "After-Sales Suite contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["aftersales_base", "mrp_repair", "sale_management"],
    "data": [],
    "demo": [],
}
