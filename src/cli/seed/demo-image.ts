import sharp from 'sharp';

const WIDTH = 160;
const HEIGHT = 120;

/** A small generated picture: a colour gradient with a disc, as a PNG. */
export async function renderDemoPng(): Promise<Buffer> {
  const pixels = Buffer.alloc(WIDTH * HEIGHT * 3);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const inDisc = (x - WIDTH / 2) ** 2 + (y - HEIGHT / 2) ** 2 < (HEIGHT / 4) ** 2;
      const offset = (y * WIDTH + x) * 3;
      pixels[offset] = inDisc ? 255 : Math.round((x / WIDTH) * 255);
      pixels[offset + 1] = inDisc ? 255 : Math.round((y / HEIGHT) * 255);
      pixels[offset + 2] = inDisc ? 255 : 180;
    }
  }
  return sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .png()
    .toBuffer();
}
