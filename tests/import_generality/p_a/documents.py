"""Short documents written for these tests, one per layout the general families read.

Made-up bodies and places; the same structure as documents scrutiny officers receive (a report
page with labelled recommendations, a Government response with "Government response:" labels).
"""

REPORT_PAGE = """Keeping Riverside Safe: fire prevention in tall buildings
Fire Safety Committee
Published 4 March 2024
The Committee looked at how tall buildings are inspected and makes three recommendations.
- Recommendation 1: The brigade should publish a plan for inspecting every tall building by 30 September 2024.
- Recommendation 2: The Ministry of Housing should fund the fitting of sprinklers in older blocks within six months.
- Recommendation 3: The Mayor should report progress on the plan to the London Assembly annually.
"""

GOVERNMENT_RESPONSE = """Government response to Keeping Riverside Safe: fire prevention in tall buildings
Published 2 July 2024
Recommendation 1: The brigade should publish a plan for inspecting every tall building by 30 September 2024.
Government response: The Government accepts this recommendation and expects the plan in the autumn.
Recommendation 2: The Ministry of Housing should fund the fitting of sprinklers in older blocks within six months.
Government response: The Government does not accept this recommendation. Funding is a matter for building owners.
"""

# A reply whose second heading's number and restated words disagree: it restates recommendation 3.
MISNUMBERED_RESPONSE = """Government response to Keeping Riverside Safe: fire prevention in tall buildings
Published 2 July 2024
Recommendation 1: The brigade should publish a plan for inspecting every tall building by 30 September 2024.
Government response: The Government accepts this recommendation.
Recommendation 2: The Mayor should report progress on the plan to the London Assembly annually.
Government response: The Government supports this recommendation.
"""

INSPECTION_PAGE = """Harbourside Fire and Rescue Service: effectiveness
Published 9 May 2023
Areas for improvement
- The service should make sure its prevention work is aimed at the people most at risk.
- The service should review how it shares risk information with its crews.
"""

NOTHING_ASKED = """Annual summary
Published 1 June 2023
The year was busy. Many visitors came to the museum and the café sold a great deal of tea.
"""

PAGE_WITH_AN_ALIAS = """Quiet Streets: noise at night
Environment Committee
Published 10 October 2023
- Recommendation 1: The Night Office should publish a noise map of every borough by 31 March 2024.
"""
