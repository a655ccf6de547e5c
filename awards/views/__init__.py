"""Award pages, one module per concern: the overview and proposals (`proposals`), the council's sessions
and ballot (`sessions`), the decisions and the registry (`decisions`), the PDF documents (`documents`),
the public posting (`postings`) and the titles (`titles`); `_helpers` holds what several of them share.

Each object view starts from one helper that fetches and checks: out of the user's scope is 404 (a
proposal of another unit, by URL or by posted id), in scope but not his to do is 403. Workflow steps
are small POST views that call the services and show a domain error with `messages.error`.
"""
