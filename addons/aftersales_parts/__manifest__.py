# Copyright 2026 After-Sales Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "After-Sales Spare Parts",
    "summary": "Spare-parts requests, the parts warehouse and core parts returned to the maker",
    "version": "11.0.1.0.0",
    "category": "After-Sales",
    "website": "https://github.com/aftersales-suite/aftersales",
    "author": "After-Sales Suite contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["aftersales_warranty", "purchase", "stock"],
    "data": [],
    "demo": [],
}
