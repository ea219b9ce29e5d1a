"""Documents written for these tests, in the families the importer reads: a committee report of
three recommendations, and a letter answering it whose replies 2 and 3 are numbered the wrong way
round (each restates the other's recommendation) and which also answers a fourth recommendation
the report does not make."""

REPORT = """Police and Crime Committee

Stop and search in London

March 2024

Foreword

Stop and search remains one of the most contested police powers in the capital.

Recommendations

Recommendation 1

MOPAC should publish a stop and search action plan by June 2024, setting out
how it will measure community confidence.

Recommendation 2

The Met must record the ethnicity of every person searched and share the
quarterly results with this Committee.

Recommendation 3

The Mayor should fund independent community monitoring groups in every borough.
"""

LETTER = """MAYOR OF LONDON

Chair of the Police and Crime Committee
City Hall

Our ref: MGLA020524-0002
Date: 2 May 2024

Dear Chair,

Thank you for your report, 'Stop and search in London'. The annex sets out my response to each
recommendation.

Yours sincerely,

Sadiq Khan
Mayor of London

Recommendation 1

MOPAC should publish a stop and search action plan by June 2024, setting out how it will measure community confidence.

MOPAC accepts this recommendation. The action plan will be published by September 2024.

Recommendation 2

The Mayor should fund independent community monitoring groups in every borough.

I have funded community monitoring groups in twenty boroughs this financial year (2024-25).

Recommendation 3

The Met must record the ethnicity of every person searched and share the quarterly results with this Committee.

The MPS already records the ethnicity of everyone searched and will share the results quarterly.

Recommendation 4

The Met should review the use of handcuffs during searches of children.

The MPS will complete a review of handcuffing by December 2024.
"""

# Reply text that shows which recommendation each reply really answers.
ANSWERS_MONITORING = "funded community monitoring groups"
ANSWERS_ETHNICITY = "records the ethnicity of everyone searched"
