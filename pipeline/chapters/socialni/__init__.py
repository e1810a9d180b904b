"""Chapter "Sociálně-ekonomická situace": exekuce, dávky and long-term job seekers per obec, against ČR."""
