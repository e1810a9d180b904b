"""Czech text helpers: the vocalised prepositions before numbers, checked against how each number is read."""
import pytest

from pipeline.core.text import before_number

# number -> how it is read after the preposition (genitive), which decides z/ze and s/se
READ = {
    0: "z nuly", 1: "z jedné", 2: "ze dvou", 3: "ze tří", 4: "ze čtyř", 5: "z pěti", 6: "ze šesti", 7: "ze sedmi",
    8: "z osmi", 9: "z devíti", 10: "z deseti", 11: "z jedenácti", 12: "ze dvanácti", 13: "ze třinácti",
    14: "ze čtrnácti", 15: "z patnácti", 16: "ze šestnácti", 17: "ze sedmnácti", 18: "z osmnácti",
    19: "z devatenácti", 20: "ze dvaceti", 23: "ze dvaceti tří", 35: "ze třiceti pěti", 41: "ze čtyřiceti jedné",
    50: "z padesáti", 66: "ze šedesáti šesti", 78: "ze sedmdesáti osmi", 80: "z osmdesáti", 99: "z devadesáti devíti",
    100: "ze sta", 150: "ze sto padesáti", 206: "ze dvou set šesti", 500: "z pěti set", 704: "ze sedmi set čtyř",
    800: "z osmi set", 1000: "z tisíce", 1500: "z tisíce pěti set", 2000: "ze dvou tisíc", 3780: "ze tří tisíc",
    5000: "z pěti tisíc", 10_000: "z deseti tisíc", 12_000: "ze dvanácti tisíc", 100_000: "ze sta tisíc",
    514_777: "z pěti set čtrnácti tisíc", 1_000_000: "z milionu", 10_827_529: "z deseti milionů",
}


@pytest.mark.parametrize(("number", "read"), READ.items())
def test_z_and_s_follow_the_spoken_number(number, read):
    expected = read.split()[0]
    assert before_number("z", number) == expected
    assert before_number("s", number) == expected.replace("z", "s")


def test_decimals_and_other_prepositions():
    assert before_number("z", 3.5) == "ze" and before_number("z", 0.7) == "z"
    with pytest.raises(ValueError):
        before_number("v", 2)
