"""Documents written for the review tests (our own words, in the families the importer reads)."""

REPORT = """Police and Crime Committee

Neighbourhood policing in London

March 2024

Recommendations

Recommendation 1

MOPAC should publish a neighbourhood policing plan by June 2024.

Recommendation 2

The Met must publish ward officer vacancy rates every quarter and explain each gap.

Recommendation 3

The Mayor should fund youth outreach workers in every borough.
"""

# Heading "Recommendation 3" above recommendation 2's restated text: the mismatch of the issue.
LETTER = """MAYOR OF LONDON

Chair of the Police and Crime Committee
City Hall

Our ref: MGLA030524-0003
Date: 3 May 2024

Dear Chair,

Thank you for your report, 'Neighbourhood policing in London'. The annex sets out my response.

Yours sincerely,

Sadiq Khan
Mayor of London

Recommendation 1

MOPAC should publish a neighbourhood policing plan by June 2024.

MOPAC accepts this recommendation. The plan will be published by September 2024.

Recommendation 3

The Met must publish ward officer vacancy rates every quarter and explain each gap.

The MPS publishes ward vacancy rates already. It will add an explanation of each gap from July 2024.

I hope this is helpful. I would be happy to discuss any of this further.
"""
