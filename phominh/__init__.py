# The release, shown on the operations page (/van-hanh/) beside the checkout's commit.
VERSION = "2026.12"
