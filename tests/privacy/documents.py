"""A consultation compilation of our own writing, laid out as the seed compilation is (emails with
their headers, a letter on a letterhead), with contact details in every field: the email headers,
the names, the subjects, the asks, the body and the signatures."""

# Every string here must appear on no page, in no export, API record, feed, email or stored field.
CONTACT_DETAILS = [
    # email addresses, also written out to dodge harvesters
    "jane.doe@example.org", "jane.doe", "name [at] example dot org", "pat.smith@example.net", "pat.smith",
    "sam.patel@northtown.example.org", "sam.patel", "lee(at)example(dot)com",
    # phone numbers in the usual layouts (and the digits that would survive a partial removal)
    "+44 20 7983 4000", "020 7983 4000", "7983 4000", "07700 900123", "900123", "(020) 7946 0000",
    "7946 0000", "020 8123 4567", "+44 20 8123 4567", "8123 4567", "0044 20 7123 9876", "7123 9876",
    "07911-123-456", "123-456", "+1 212 555 0100", "555 0100",
    # a private person's postal address
    "12 Acacia Avenue", "Acacia", "N1 1AA", "Flat 3, 27 Rose Court", "Rose Court", "E8 1AB",
]
# An organisation's general mailbox identifies no one: it is kept.
GENERIC_MAILBOX = "info@northtown.example.org"

FILE_NAME = "jane.doe@example.org 07700 900123 responses.txt"

COMPILATION = """\
From: Jane Doe <jane.doe@example.org>
Sent: 14 February 2013 10:15
To: Police and Crime Plan
Subject: Draft Police and Crime Plan - call me on 07700 900123

Dear Deputy Mayor,

I am writing as a resident of Hackney about the draft Police and Crime Plan 2013-2017. My
neighbours and I have seen burglaries rise on our street and we want officers back on foot. You
can reach me on 07700 900123 or (020) 7946 0000, or write to me at 12 Acacia Avenue, London N1 1AA.

I would ask the Mayor to commit to:
- Reopening the front counter at Stoke Newington and printing my number, 020 7983 4000, on its leaflets.
- Writing back to every resident who reports a burglary, as to me at jane.doe@example.org or name [at] example dot org.
- Ringing residents back on numbers such as +44 20 7983 4000 or 0044 20 7123 9876 within one working day.

Yours sincerely,
Jane Doe
12 Acacia Avenue
London N1 1AA
Tel 07700 900123

From: pat.smith@example.net
Sent: 15 February 2013 09:00
To: Police and Crime Plan
Subject: My views, ring 07911-123-456

Hi,

I live at Flat 3, 27 Rose Court, London E8 1AB and I have lived in Hackney for twenty years now.
The plan should do more for the victims of crime who are left waiting for a call back. My cousin
abroad on +1 212 555 0100 was never called back either, and lee(at)example(dot)com agrees with me.

We would like to see:
- A promise that every victim of burglary is visited within a day, ring me on 07911-123-456 to talk.
- Police community support officers kept in every ward, as pat.smith@example.net has asked before.

Regards,
Pat

Northtown Residents Trust
Response to the Mayor's draft Police and Crime Plan
16 February 2013

Dear Stephen

Northtown Residents Trust is a charity working with residents in four boroughs of north London.
Northtown Residents Trust welcomes the draft plan and its aim to cut neighbourhood crime by 20%.
Northtown Residents Trust has three recommendations, set out below.

We recommend that the Mayor should:
- Publish ward-level crime data every month, with a named officer on 020 8123 4567 for residents.
- Fund youth clubs in every borough that has lost one since 2010, as sam.patel@northtown.example.org has set out.
- Answer every letter from a residents' group within twenty working days of receiving it.

Yours sincerely,
Sam Patel
Director, Northtown Residents Trust
sam.patel@northtown.example.org
Tel +44 20 8123 4567
Email info@northtown.example.org
"""
