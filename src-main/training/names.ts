// Common Danish given names and surnames (Danmarks Statistik's top lists), plus a few that carry
// é/ü and compound forms, so the training data exercises æ ø å and friends everywhere.
export const givenNames = [
  'Anne', 'Kirsten', 'Mette', 'Hanne', 'Helle', 'Susanne', 'Lene', 'Maria', 'Marianne', 'Camilla', 'Louise', 'Pia',
  'Charlotte', 'Tina', 'Gitte', 'Bente', 'Inge', 'Karen', 'Sofie', 'Ida', 'Emma', 'Freja', 'Clara', 'Laura', 'Astrid',
  'Signe', 'Sørine', 'Birthe', 'Ulla', 'Tove', 'Dorthe', 'Maja', 'Ellen', 'Åse', 'Bodil', 'René', 'Agnès', 'Jytte',
  'Peter', 'Jens', 'Lars', 'Michael', 'Henrik', 'Søren', 'Thomas', 'Jan', 'Niels', 'Morten', 'Jesper', 'Anders',
  'Rasmus', 'Martin', 'Mads', 'Christian', 'Frederik', 'Mikkel', 'Kasper', 'Jørgen', 'Bjørn', 'Ole', 'Poul',
  'Torben', 'Kåre', 'Bo', 'Øjvind', 'Asger', 'Malthe', 'Oskar', 'William', 'Noah', 'Emil', 'Magnus', 'Aksel',
  'Jørn', 'Klaus', 'Finn', 'Ærø', 'Benedikte', 'Stén', 'Jürgen', 'Müller',
];

export const surnames = [
  'Nielsen', 'Jensen', 'Hansen', 'Pedersen', 'Andersen', 'Christensen', 'Larsen', 'Sørensen', 'Rasmussen',
  'Jørgensen', 'Petersen', 'Madsen', 'Kristensen', 'Olsen', 'Thomsen', 'Christiansen', 'Poulsen', 'Johansen',
  'Møller', 'Mortensen', 'Knudsen', 'Jakobsen', 'Mikkelsen', 'Frederiksen', 'Lauridsen', 'Holm', 'Schmidt',
  'Bæk', 'Østergaard', 'Nørgaard', 'Dahl', 'Vestergaard', 'Sønderby', 'Bøgh', 'Kjær', 'Lund', 'Brøndum',
  'Højgaard', 'Skovgård', 'Ågesen', 'Damgård', 'Fæster', 'Grønbæk', 'Kühl', 'Lefèvre', 'Ravn', 'Bech', 'Krogh',
];

export const titles: Record<string, string[]> = {
  Borgerservice: ['Borgerservicemedarbejder', 'Teamleder', 'Sagsbehandler'],
  'Sundhed og Omsorg': ['Social- og sundhedsassistent', 'Sygeplejerske', 'Hjemmehjælper', 'Visitator'],
  'Teknik og Miljø': ['Ingeniør', 'Byggesagsbehandler', 'Landinspektør', 'Vejmand'],
  Medarbejdere: ['Lærer', 'Pædagog', 'Skoleleder', 'Skolesekretær'],
  Elever: ['Elev'],
  'Eksterne konsulenter': ['Konsulent', 'IT-konsulent'],
  Fratrådte: ['Tidligere medarbejder'],
  IT: ['IT-supporter', 'Systemadministrator'],
};
