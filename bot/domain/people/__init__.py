"""Who may do what: offices, officers, village officials and the invites that create them."""
