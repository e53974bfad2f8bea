"""Domain logic: answers, offer risk, tips, villages, quizzes. Nothing here imports telegram."""
