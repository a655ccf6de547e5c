// Asks before an irreversible step on forms marked data-confirm (issue 16).
