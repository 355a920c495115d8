// Danish names for the seeded test domain. Deliberately heavy on æ, ø, å, é and ü so that every
// code path (LDIF, filters, DNs, sorting) meets them.

export const FIRST_NAMES = [
  'Søren', 'Jørgen', 'Åse', 'Bjørn', 'Mette', 'Anne', 'Lars', 'Jens', 'Hanne', 'Kirsten',
  'Ærenpris', 'Ødger', 'Åge', 'René', 'Jürgen', 'Zoë', 'Noël', 'Mia', 'Emma', 'Ida',
  'Frederik', 'Mathias', 'Magnus', 'Astrid', 'Sofie', 'Freja', 'Karoline', 'Victor', 'Oscar', 'William',
  'Marianne', 'Birthe', 'Inger', 'Poul', 'Niels', 'Henrik', 'Rasmus', 'Camilla', 'Louise', 'Signe',
  'Bo', 'Kåre', 'Gørild', 'Mikkel', 'Thorbjørn', 'Sønnik', 'Dorthe', 'Gudrun', 'Helle', 'Bente',
  'Per', 'Ole', 'Tove', 'Lærke', 'Clément', 'André', 'Hélène', 'Müge', 'Güler', 'Ayşe',
  'Mohammed', 'Fatima', 'Ali', 'Yasmin', 'Omar', 'Leila', 'Jakob', 'Asger', 'Malthe', 'Villads',
  'Esther', 'Agnes', 'Alma', 'Clara', 'Ellen', 'Frida', 'Hjørdis', 'Bodil', 'Grethe', 'Jytte',
] as const;

export const SURNAMES = [
  'Jørgensen', 'Sørensen', 'Møller', 'Nielsen', 'Hansen', 'Pedersen', 'Andersen', 'Christensen', 'Larsen', 'Rasmussen',
  'Jensen', 'Madsen', 'Kristensen', 'Olsen', 'Thomsen', 'Poulsen', 'Johansen', 'Knudsen', 'Mortensen', 'Østergaard',
  'Ærø', 'Åberg', 'Bülow', 'Lützen', 'Højgaard', 'Brændgaard', 'Søndergaard', 'Kjærgaard', 'Dahl', 'Bækgaard',
  'Frølund', 'Grønbæk', 'Skovgård', 'Vestergård', 'Nørgaard', 'Løkke', 'Bøgh', 'Krøyer', 'Dinesen', 'Blixen',
  'Fønss', 'Müller', 'Schrøder', 'Ørsted', 'Kühl', 'Dupré', 'Lévesque', 'Yilmaz', 'Öztürk', 'Hussein',
  'Bach', 'Holm', 'Lund', 'Berg', 'Friis', 'Juul', 'Koch', 'Winther', 'Vinther', 'Skov',
  'Damgaard', 'Mølgaard', 'Sæbye', 'Ravn', 'Lykke', 'Fog', 'Krag', 'Ahlefeldt', 'Brahe', 'Reventlow',
] as const;


/** ASCII form for usernames and e-mail addresses, the way Danish IT departments usually spell it. */
export function asciiFold(s: string): string {
  return s
    .replace(/æ/g, 'ae').replace(/Æ/g, 'Ae')
    .replace(/ø/g, 'oe').replace(/Ø/g, 'Oe')
    .replace(/å/g, 'aa').replace(/Å/g, 'Aa')
    .replace(/ü/g, 'ue').replace(/Ü/g, 'Ue')
    .replace(/ö/g, 'oe').replace(/Ö/g, 'Oe')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ş/g, 's')
    .replace(/[^A-Za-z0-9]/g, '');
}
