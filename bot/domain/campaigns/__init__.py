"""Recruiters' campaigns across villages: one advert checked or reported in many places.

Texts the offer checker assesses and tips' offer and recruiter fields are assigned, as they
arrive, to a campaign (`grouping`), stored without who sent them (`store`); a campaign that
grows fast alerts its office (`alerts`), officers give a verdict (`verdicts`), and contacts of
confirmed campaigns form a watchlist (`watchlist`).
"""
