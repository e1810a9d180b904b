-- Each IČO once: the same placement imported with several extracts is one placement.
SELECT DISTINCT ico, obec_kod
FROM financovani_ico_obec
