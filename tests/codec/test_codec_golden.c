/* Golden MD5s of decoder output for fixed .rec files committed under
 * tests/codec/data/ (never golden encoder bytes here: the encoder may change, the
 * decoding of a given file may not; test_codec_encoder_pins pins today's encoder). Every decode mode of the rounding
 * baseline is pinned, so a change in the decoder's arithmetic, the context
 * model or the range coder shows up here.
 *
 *   test_codec_golden TESTIMAGES_DIR        check (the data dir is found next to this file)
 *   test_codec_golden --make DIR [PREFIX]   (maintainers) write the .rec files from synthetic images
 *                                           (with today's encoder: copy only NEW rows' files into
 *                                           data/, the committed ones pin older formats; PREFIX
 *                                           makes only the files whose name starts with it)
 *   test_codec_golden --print DIR           (maintainers) print the MD5 table for DIR */
#include "codec_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CODEC_GOLDEN_DIR
#define CODEC_GOLDEN_DIR "tests/codec/data"
#endif

typedef struct {
    const char *file;
    uint32_t w, h, channels;
    recimg_chroma chroma;
    double quality;
    uint64_t seed;                 /* synthetic image seed */
    recimg_mode mode;
    recimg_sampler sampler;
    const char *md5[4];            /* decode modes below */
} golden;

/* every decode mode: MMSE, centre, sample (private seed 0), realism A = 0.5 */
static const recimg_decode_mode modes[4] = {RECIMG_DECODE_MMSE, RECIMG_DECODE_CENTER,
                                            RECIMG_DECODE_SAMPLE, RECIMG_DECODE_REALISM};
static const char *const mode_names[4] = {"mmse", "center", "sample", "realism"};

static const golden table[] = {
    {"golden_rgb420_q50.rec", 37, 23, 3, RECIMG_CHROMA_420, 50, 1, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE,
     {"620f3f4464d2292a5a02b9745055ed6e", "7e12a0bdbccffdc3c6a3971389cbf199",
      "4a133ce2ed16904ef79bd0991b8ec8b7", "c362b7c9672138a277dd6f7b13d3716f"}},
    {"golden_gray_q80.rec", 29, 17, 1, RECIMG_CHROMA_420, 80, 2, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE,
     {"0ccb3190727a256108c6bf9d4a2d6480", "44a2a18bde0368094c6b2948842bdd69",
      "f10dfa346658ec7633c493f035f75b3b", "822d812afc75d2e09d9d869a85e25f6f"}},
    {"golden_rgb444_q20.rec", 24, 40, 3, RECIMG_CHROMA_444, 20, 3, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE,
     {"49157f51ba088e9b1d3e353fe5fd5ccc", "d4407ada46aa3615acd03c53fab3ce7b",
      "6f458905a3c8b8f341a9b024411a675f", "d606b8f59d2c1fc2e2aa4a4eb9529085"}},
    {"golden_rgb420_1x1.rec", 1, 1, 3, RECIMG_CHROMA_420, 75, 4, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE,
     {"138ed229048fba8751a14fccb34957f8", "f669bc24182c96c844f143ee8773df6e",
      "138ed229048fba8751a14fccb34957f8", "138ed229048fba8751a14fccb34957f8"}},
    {"golden_rgb420_q5.rec", 64, 48, 3, RECIMG_CHROMA_420, 5, 5, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE,
     {"23326bbffadf8ef189c1247754bb7230", "62b029298947a4aa517d5e75e964f061",
      "ee25525637a9ccaaafe9b8d741927ee4", "14f036db2e5023a71b396cc4593cddd1"}},
    {"golden_rgb420_q97.rec", 96, 64, 3, RECIMG_CHROMA_420, 97, 6, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE,
     {"19494243271a09dc413abbd1dea3b60c", "470fedb8ddf4fbfc8e26bcae3667f2c4",
      "0f41d687531ea242718ab5377b25e921", "8a5627ad141683e5e9424540eccf3a85"}},
    {"golden_rec_uq_rgb420_q50.rec", 48, 40, 3, RECIMG_CHROMA_420, 50, 7, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"06efdd6369619330021a5d130650ecf2", "f6ab3a1aef8f145c4c232abffb4cb5fe",
      "2470058863d31be85af0b04f99fd5c34", "e0b64b953cc78ab20e4fa48e1f816c10"}},
    {"golden_rec_lrq_rgb444_q70.rec", 40, 24, 3, RECIMG_CHROMA_444, 70, 8, RECIMG_MODE_REC, RECIMG_SAMPLER_LRQ,
     {"6055093451cea96bfec40d3c69f0bb7e", "f4c1a38e3c8ca4f25ccbbd740f24a58e",
      "15abaa25bf02a7131d8f3bbb01931b0d", "f479ce39564b4b2bb2d9b573544e4be2"}},
    {"golden_rec_uq_gray_q20.rec", 33, 31, 1, RECIMG_CHROMA_420, 20, 9, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"a088da40f30efef08befbde70b2cb9dc", "f30176a2a16f7d5e8ca605fae275c13f",
      "b4919300e261a4013e856ecbbb5e4907", "c7c75c61697e95f5947543da41d77297"}},
    {"golden_rec_lrq_rgb420_q90.rec", 64, 64, 3, RECIMG_CHROMA_420, 90, 10, RECIMG_MODE_REC, RECIMG_SAMPLER_LRQ,
     {"2aeb6738a9f3a117dcea6dbd95dfbd81", "b99fd428e309985ffcf02f77a664e9a6",
      "fc88d0e618c9c0603cd1c8e0f2ca2ec5", "e7b3534b77277961124f7d149600b6cc"}},
    {"golden_rec_bnb_rgb420_q60.rec", 40, 32, 3, RECIMG_CHROMA_420, 60, 11, RECIMG_MODE_REC, RECIMG_SAMPLER_GPRS_BNB,
     {"0c4fc05308dd5b6e05d88a6390d729e4", "50a943f64fc14258cdffd7786be79f40",
      "9487898c223d73ab3aa80180963d5f06", "41d16f291f3755b21f0e660fe77247f5"}},
    {"golden_rec_gprs_rgb420_q60.rec", 40, 32, 3, RECIMG_CHROMA_420, 60, 12, RECIMG_MODE_REC, RECIMG_SAMPLER_GPRS,
     {"c79d441384c8029b48d212c9d1a676b5", "af61c48a33b3a7eaf7162288456155b7",
      "a75d4b606f34671aae4983b3845f999f", "ecd1b28f5b3a45830df0a059b0f332da"}},
    {"golden_rec_pfr_gray_q75.rec", 36, 28, 1, RECIMG_CHROMA_420, 75, 13, RECIMG_MODE_REC, RECIMG_SAMPLER_PFR,
     {"5217b20f30eec23dba9e1c2c8b2369cd", "7285433ce6d2437fa1e8889b67a3a25e",
      "26580d069390fe596efafc9977ae6bff", "7eaa10b178288513fa9d8e433d078667"}},
    {"golden_rec_block_rgb420_q90.rec", 64, 48, 3, RECIMG_CHROMA_420, 90, 14, RECIMG_MODE_REC, RECIMG_SAMPLER_BLOCK,
     {"9f844396ca50eccfe76806fec5c1b471", "9863e6f2170bc687f460cdc3b15c6c1e",
      "e308e3c44364aa5dcbf132d065f39dfc", "46890549a254b6d862febb96dee8b64a"}},
    /* context model v2 (prior id 2, REC cell statistic 1.5 e^2); the REC files above
       were made before it and carry prior id 1, which keeps v1's decoder pinned */
    {"golden_rec2_uq_rgb420_q40.rec", 48, 40, 3, RECIMG_CHROMA_420, 40, 15, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"e8b78e100b59b34552fbb2ca6815de4c", "16774294a747b2f6abfa9fe38e168736",
      "a4153e89e559059aa2d51018b5316c16", "277bd849e8e9730f9ee8fd2417e281b3"}},
    {"golden_rec2_lrq_gray_q60.rec", 40, 32, 1, RECIMG_CHROMA_420, 60, 16, RECIMG_MODE_REC, RECIMG_SAMPLER_LRQ,
     {"88244374a154c7edad8abc5027f3d057", "159765c1898645a52b9752e1692d41bc",
      "0c5f3e211461b226fdf21fe5f2f38294", "8f7309396832f41293f90b549ff363b3"}},
    {"golden_rec2_block_rgb420_q90.rec", 64, 48, 3, RECIMG_CHROMA_420, 90, 17, RECIMG_MODE_REC, RECIMG_SAMPLER_BLOCK,
     {"3d2a87f339491ac4de99a231e545d0a3", "5488f311edffab303f51465a66f15b67",
      "e7dcec86adb153e64d21458fdfe0c044", "18cb44e3999f59c2d8c67248871bbe27"}},
    /* closed-form bin coder (header flags bit 0, docs/FORMAT.md; prior id 2): the REC
       files above carry flags 0, which keeps the window coder's decoder pinned */
    {"golden_rec2cf_uq_rgb420_q40.rec", 48, 40, 3, RECIMG_CHROMA_420, 40, 18, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"b9bbffbf1fd1b45c6faa1ce7892acb30", "d84693f4d298b353356964f2a337d445",
      "8de6cf1993f742b112db75e0efbc57f6", "c01c5a0c7da9e152ff9c784852dd41f0"}},
    {"golden_rec2cf_lrq_gray_q60.rec", 40, 32, 1, RECIMG_CHROMA_420, 60, 19, RECIMG_MODE_REC, RECIMG_SAMPLER_LRQ,
     {"fbbc80e1d24fc8b0f30682abf639b1e1", "eab09bbd41331753e180a790edd6cabb",
      "e9a8ec92f0150746d271a7d726cff002", "9c981055b04b7251abe87372a28967cd"}},
    {"golden_rec2cf_block_rgb420_q90.rec", 64, 48, 3, RECIMG_CHROMA_420, 90, 20, RECIMG_MODE_REC, RECIMG_SAMPLER_BLOCK,
     {"15350592e44b8ff08b2cb455f4979b1b", "56c96fe839d39c6b4fee8a67afd62118",
      "53a239d46b1d9ed939e774ea575f140e", "9ee4307e233c8a2c8cdf7323c95bd111"}},
    {"golden_rec2cf_pfr_gray_q75.rec", 36, 28, 1, RECIMG_CHROMA_420, 75, 21, RECIMG_MODE_REC, RECIMG_SAMPLER_PFR,
     {"1faf457e1297aba02f099fd4362738a4", "7d8406668e55af08694626aa5feade0e",
      "5e8914ed7aa5754be1f39f2f8cc5e0bd", "849f7b4ad795f5df5070682c5e0b8101"}},
    /* context model v3 (prior id 3, v2 plus the in-block gain of the AC prior scales) */
    {"golden_rec3_uq_rgb420_q40.rec", 48, 40, 3, RECIMG_CHROMA_420, 40, 18, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"9f4bbf4c570b3e1b02d4f0197ff8c090", "6fd9518c1b342b43ce4940a6382640d4",
      "9830fde846c9e5ea22725479eb846a36", "7d9fc54d60753f6bc9fe88869e1a64d9"}},
    {"golden_rec3_lrq_gray_q60.rec", 40, 32, 1, RECIMG_CHROMA_420, 60, 19, RECIMG_MODE_REC, RECIMG_SAMPLER_LRQ,
     {"5e2389b4e23e04cd1c82d3268447216f", "83507ea2dc361169018236db79ff7e9e",
      "976ed34b2975732dab465b0e58fb3d65", "243260955f746e0ff9034dce29357505"}},
    {"golden_rec3_block_rgb420_q90.rec", 64, 48, 3, RECIMG_CHROMA_420, 90, 20, RECIMG_MODE_REC, RECIMG_SAMPLER_BLOCK,
     {"b4e6d5d59f7ca2488c0742c9b4bad26e", "f60c7dc0b5fef5f970079c3c6ae46905",
      "90a7bb54fb976210489462b712324695", "63dfd28fd377e9d757889895f0fa43e0"}},
    {"golden_rec3_bnb_rgb420_q60.rec", 40, 32, 3, RECIMG_CHROMA_420, 60, 21, RECIMG_MODE_REC, RECIMG_SAMPLER_GPRS_BNB,
     {"9d8645282c1e14f3e2a33c6b70b52170", "053a438b86fa34dc67fc047fbaa0fde2",
      "835eb01b655b84708ed24566c78802a5", "038400b963f83d4ba622c7cf9679f54e"}},
    /* prior id 3 with the closed-form bin coder (flags bit 0): what the encoder writes by
       default; the golden_rec3_ files above (flags 0) pin v3 with the window coder */
    {"golden_rec3cf_uq_rgb420_q40.rec", 48, 40, 3, RECIMG_CHROMA_420, 40, 22, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"cb718b435b38b507a193a00207dca092", "6f1f5e9f80d019aa31b37de148c63e56",
      "82b257be6b1c98d345ff8235e71faf77", "fb176187fd2c0bc68279d5e7b10fb588"}},
    {"golden_rec3cf_lrq_gray_q60.rec", 40, 32, 1, RECIMG_CHROMA_420, 60, 23, RECIMG_MODE_REC, RECIMG_SAMPLER_LRQ,
     {"7d5ee488b5eaf62c3d9eeed9313f65eb", "0ad4a94c20072dc8825d7e39121d0b09",
      "df15f36f0d8d1121fa4d32b5753751ab", "ec9d50c8c8cd9b54664134572d1f87bd"}},
    {"golden_rec3cf_block_rgb420_q90.rec", 64, 48, 3, RECIMG_CHROMA_420, 90, 24, RECIMG_MODE_REC, RECIMG_SAMPLER_BLOCK,
     {"980f51d991eb0db81bd57a6f20bf8707", "a4e4a91554f49d8df8f2842b5b419685",
      "32452064231875870680531c6d9d402d", "2f00c8007edb9c241466a3caa5d27b13"}},
    {"golden_rec3cf_bnb_rgb420_q60.rec", 40, 32, 3, RECIMG_CHROMA_420, 60, 25, RECIMG_MODE_REC, RECIMG_SAMPLER_GPRS_BNB,
     {"ba46d97173fe65cee06800754e1df48f", "40647884f8ca2995708b0215b507994c",
      "ca57d08cdd897fcac2a00265a134f52d", "1c8a63261f1824ea49e29cf6e0f3528a"}},
    /* header flag 0x02 (uq far-bin reconstruction, decoder only) on prior id 3, with
       the window coder (flags 0x02) and the closed-form coder (0x03, what the encoder
       writes by default); every file above carries neither */
    {"golden_rec3_far_uq_rgb420_q30.rec", 56, 40, 3, RECIMG_CHROMA_420, 30, 26, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"2f6aa85f3f6fe54a2c92defc620b40d5", "02e25863867a3c7b569271e71a3a4b44",
      "46c3b63776953f32ac7d50562b5d5e59", "e53ff88fdacd75de304c3de5c342654a"}},
    {"golden_rec3cf_far_uq_rgb420_q30.rec", 56, 40, 3, RECIMG_CHROMA_420, 30, 27, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"0fb9c256729704278d326f5eeebf1013", "9e5b5d32d20946b532431b0fba30ec01",
      "e02d5012278f53029409d0f3cb272ab3", "a683721f4347bf7533f5f98cfaefb288"}},
    /* header flag 0x04 (skip-energy table at the payload's start; sample and realism
       scale the skipped coefficients' draws): with 0x01 and 0x02 (0x07, what the encoder
       writes by default for uq), with 0x01 (0x05, block) and alone (0x04, window coder,
       gray); every file above carries no table */
    {"golden_rec3cf_far_se_uq_rgb420_q30.rec", 56, 40, 3, RECIMG_CHROMA_420, 30, 28, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"ed41dd0e9cd30066bb236daa040cdec0", "cd50d46360c95269c5795b23386a3b80",
      "ea6e001f788decf0fc0bba07fde4b411", "64ebda70225293220a43dc9771ac8178"}},
    {"golden_rec3cf_se_block_rgb420_q90.rec", 64, 48, 3, RECIMG_CHROMA_420, 90, 29, RECIMG_MODE_REC, RECIMG_SAMPLER_BLOCK,
     {"7010e404a410f667c99488e46d493176", "3864ad5a1fbcaf40ac0d0f6dd8af229e",
      "251f8597f2681222f8950f0ab538eda0", "4ae01a271fc7c91435227b3f7e582769"}},
    {"golden_rec3_se_lrq_gray_q60.rec", 40, 32, 1, RECIMG_CHROMA_420, 60, 30, RECIMG_MODE_REC, RECIMG_SAMPLER_LRQ,
     {"1bc5242e0599e26da505e32b68466974", "7ea1ec71fcce6bc171844e7d3b308dd4",
      "e82abed5caa4a5b60e45ef6587ebc763", "4a205867d91ac5da57250419a32b301b"}},
    /* a rec file with the flat step matrix (id 0), chroma step code 141 (0.55) and tau
       code 206 (the setting measured in docs/REC_CODEC.md "Session 4 levers"); every rec
       file above has matrix 1 and chroma code 218 */
    {"golden_rec3cf_far_flat_uq_rgb420_q20.rec", 56, 40, 3, RECIMG_CHROMA_420, 20, 28, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"41ae6084ed7bc4a6e09c4b174b948b18", "e846af435e1399cf5d4476983fe30e89",
      "2dc01ea20521185f480a29e96f3ade9c", "631e1f68b92d0a93a934752aa6632e2f"}},
    /* header flag 0x08 (the short-chain revision: in-block gain from rec_pow_table, with
       0x01 the bin coder's edge exponentials from rec_exp_neg_fast): 0x0F (what the
       encoder writes by default for uq), 0x0D (block), 0x09 (lrq, gray) and 0x08 alone
       (window coder, gain table only); every file above carries no 0x08 */
    {"golden_rec3cf_far_se_fc_uq_rgb420_q30.rec", 56, 40, 3, RECIMG_CHROMA_420, 30, 31, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"d7f760ae76dc582bbe3badaed0e46e1f", "b16ba712dd7c2989f94d4c27ce492ae4",
      "ae2685292795388c9f82ab74a976515b", "d3794c23ace0fd227b79ed6c7e0c70a8"}},
    {"golden_rec3cf_se_fc_block_rgb420_q90.rec", 64, 48, 3, RECIMG_CHROMA_420, 90, 32, RECIMG_MODE_REC, RECIMG_SAMPLER_BLOCK,
     {"ea2830e468d5668acb6717ce6e2a3af2", "7cf1739ee2693c66887f5560deeee162",
      "4796f009fc8d2369771af5cf249bafc8", "92e3dd0fcc493bbdaa0f9db9b79af3e3"}},
    {"golden_rec3cf_fc_lrq_gray_q60.rec", 40, 32, 1, RECIMG_CHROMA_420, 60, 33, RECIMG_MODE_REC, RECIMG_SAMPLER_LRQ,
     {"614304e93eed91f4d64de18d1098d212", "a49737e3af559f37ac18ecbf0676df23",
      "bb2b8ff1b9d6a2e1f7f71e43108d9861", "0a45eb63a5d7981601b3b6c5894dd2fe"}},
    {"golden_rec3_fc_uq_rgb420_q40.rec", 48, 40, 3, RECIMG_CHROMA_420, 40, 34, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"698075dfbc0f152c8d83d1f2f51fb6f4", "ef31ba79c2396acfd523b05723817144",
      "2f6efe396bb0c37b4b32076a23fce30d", "46cb5f70f1bcebf4b463840e4b9e81e4"}},
    /* context model v4 (prior id 4: a coded level per luma block, docs/FORMAT.md), what
       the encoder writes for uq without 0x08 (flags 0x07) and by default (0x0F); every rec
       file above is v1-v3 */
    {"golden_rec4cf_far_se_uq_rgb420_q30.rec", 64, 48, 3, RECIMG_CHROMA_420, 30, 31, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"97810af53a109b28e8db6354de39d179", "5e5103b38a2ee3dc07f6a2976fcdb2e1",
      "d05c172403f7492d2359ed4ea4a0dc4c", "575912f47f1174d402ce189598124cec"}},
    {"golden_rec4cf_far_se_uq_gray_q60.rec", 48, 40, 1, RECIMG_CHROMA_420, 60, 32, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"9115c780d6db0a7875f85b7e8e1a12a3", "37e8015ec19a66637f4f98f99f1a3c73",
      "02f37dfaef324119440f12f78083d360", "395077610ace0a28ed4c28847d5665bc"}},
    {"golden_rec4cf_far_se_fc_uq_rgb420_q40.rec", 64, 48, 3, RECIMG_CHROMA_420, 40, 35, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"235e27c87ff68b89c274140ed161e54b", "d2176d9a2de72352b49323ce837a6702",
      "343090656c261f240235adf2b3081b11", "8574b49385b5271bd5cf9c36b59d956c"}},
    /* the rounding baseline's context model v5 (prior id 5: v1 plus the in-block gain,
       docs/FORMAT.md "Payload of the round mode"); the round files above carry prior id 1,
       which keeps v1's decoder pinned */
    {"golden_round5_rgb420_q50.rec", 37, 23, 3, RECIMG_CHROMA_420, 50, 41, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE,
     {"6e351ad6cb9c71a3eeb50fa6cc968927", "3af6d7b053113a101ce086b3ec403208",
      "3a909eb6968b016eb549c77a8fd03ebb", "f80de0626d9ba6d4e020196f157abdf8"}},
    {"golden_round5_gray_q80.rec", 29, 17, 1, RECIMG_CHROMA_420, 80, 42, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE,
     {"3f8c57156290d9822354ccb88d40575b", "6371499982cefd696df5e6486c692417",
      "2b9287883341c2112ae50eb9fb81ed63", "8ca902e4cbfae845d5592f700bc57a89"}},
    {"golden_round5_rgb444_q20.rec", 24, 40, 3, RECIMG_CHROMA_444, 20, 43, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE,
     {"8b955a40f182c1cc94f4b28adcea0662", "c82b4d49608ecdd46371d7fbaf06ae5b",
      "096bb1add333878d6eddc588fc745f68", "2fce08d80b3dbee9f388ea9b9c0506a6"}},
    {"golden_round5_rgb420_q5.rec", 64, 48, 3, RECIMG_CHROMA_420, 5, 44, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE,
     {"401914bbe731468774250b794ad9163a", "1b3c56cec6e91f2857da9ef59c028b02",
      "fafd39d24efb7e37ffd5306ba5d77f2b", "557a441fa7d219496fda1462048c859f"}},
    {"golden_round5_rgb420_q97.rec", 96, 64, 3, RECIMG_CHROMA_420, 97, 45, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE,
     {"4478f8a66814a1ab8165c75d1225d38a", "b7d86be1326aa55eb4572d97705e10d8",
      "ed1050daf63f3470d8afe7e30b8a6427", "c906ee690b2404865d94be4454cfd271"}},
    /* the two above the t of the gain's exact or fast arithmetic (speed pass 13) does not
       reach: their bin frequencies come out the same either way. These two larger ones
       change with it, so they pin that arithmetic (docs/FORMAT.md "Context model v5") */
    {"golden_round5_gray_q85.rec", 56, 40, 1, RECIMG_CHROMA_420, 85, 46, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE,
     {"4718a40d29ff981ea0b10c0217952ed1", "a25aa47cb0605ac93c0de7651bc98e04",
      "9b9cd568d7053cd8765234b92a789fe7", "e26fbb57f910357c402e2a4e65e3a792"}},
    {"golden_round5_rgb444_q90.rec", 64, 48, 3, RECIMG_CHROMA_444, 90, 47, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE,
     {"98310367d49041a2b0a847a01e892c05", "4f0ff0995083c8d1dabe6af08a046709",
      "759733bdbaf16dce88514dff2efc2eac", "be949c0ef3ca1cf53d2a8a24e7efd5cf"}},
    /* header flag 0x40 (the reconstruction table after the skip-energy table; mmse and
       realism add its corrections): round mode (flags 0x40; RGB 4:2:0 and gray), rec uq
       as the encoder writes it by default plus the table (0x4F) and lrq (0x41, gray);
       every file above carries no table. Each one's table has entries (checked in
       test_codec_recon_table), so its mmse and realism rows pin the correction. */
    {"golden_rt_rgb420_q60.rec", 128, 96, 3, RECIMG_CHROMA_420, 60, 36, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE,
     {"9245ca77c30d4f7846d33d3323a8616c", "1498a1056eea78899684e897ad6ba42e",
      "7baeed552cb02741f45c1e1b6447a056", "5053cade474c03a4581684967830a18c"}},
    {"golden_rt_gray_q85.rec", 96, 96, 1, RECIMG_CHROMA_420, 85, 37, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE,
     {"f6be57f7dd606ca058f054317712628a", "af3853732a8f1965ad2e1096edc4c0c2",
      "8f747dbbbfc708251988c644472d3caf", "e01821d412e57babc32e1b782ecb139b"}},
    {"golden_rec3cf_far_se_fc_rt_uq_rgb420_q70.rec", 128, 96, 3, RECIMG_CHROMA_420, 70, 38, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"4fcc0c3db5b4dc97d4dedc437f71555d", "d99d229acc8a7f83f6bd2019147fb7b2",
      "1e80d7c6c5bc86baa9ff10ff02e878bd", "c2fdb420780f39027714172924d6226e"}},
    {"golden_rec3cf_rt_lrq_gray_q60.rec", 96, 96, 1, RECIMG_CHROMA_420, 60, 39, RECIMG_MODE_REC, RECIMG_SAMPLER_LRQ,
     {"f9ca1954dfa7db921a4383fa0ae54295", "b8d095a377124b220566086f0db42ad4",
      "eba1efeee377bd285c04f363aae0dad8", "a96d0b1b874f68d7cda79d57c5412ffc"}},
    /* header flag 0x20 (the block dither stream, sampler uq: every dither of a block from
       one Philox block and SplitMix64): 0x2F (what the encoder writes by default for uq),
       with prior id 4, and 0x20 alone (window coder, no gain table, gray); every file
       above carries no 0x20 */
    {"golden_rec3cf_far_se_fc_bd_uq_rgb420_q30.rec", 56, 40, 3, RECIMG_CHROMA_420, 30, 40, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"f3437c8abcf8dbba5325869c08b7a67b", "590c34314a0febf80ec41b94ae15ac7b",
      "6d888efbb7ab6c4d0ed75ec8792d3586", "bc1f78cb3bf77b3bf1cb5cdf908d035e"}},
    {"golden_rec4cf_far_se_fc_bd_uq_rgb420_q40.rec", 64, 48, 3, RECIMG_CHROMA_420, 40, 41, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"b0cf21f49fd5829e8c7dbb5a95efd13c", "c9ed6f33109685e5baf186b42f9ad7ab",
      "2f86501f4b2ed092a5fa785c1fb096c8", "eb5704be49dc53d4cb040ca47dc8b40f"}},
    {"golden_rec3_bd_uq_gray_q60.rec", 48, 40, 1, RECIMG_CHROMA_420, 60, 42, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"11ea957de9ae7e05bd6899d2d0f17175", "c79ad56fd26af0c05b33fed286d5a041",
      "af18c3c1b93bf2c0dd696906bf72a9db", "201f1d767d6ff6ad2e376f6836669923"}},
    /* the deadzone uq (flags2 0x400, "_dz_", version 2): the default uq path (v3, every
       byte-27 flag), with prior id 4, and with the CLOSED coder (no 0x08) and the key's
       own dithers (no 0x20) on a gray image */
    {"golden_rec3cf_far_se_fc_bd_rt_dz_uq_rgb420_q30.rec", 64, 48, 3, RECIMG_CHROMA_420, 30, 43, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"613972ff442c2e0a3803729ba4caaa82", "fbb789764463f2234725bde7d640a128",
      "6e86a1a9812e5c5a600c17740ec48abf", "c7ecf31e6ba3394143ab3611860c9ac4"}},
    {"golden_rec4cf_far_se_fc_bd_rt_dz_uq_rgb420_q40.rec", 64, 48, 3, RECIMG_CHROMA_420, 40, 44, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"8a71c471a145ef3aae5e5222cb2ef446", "935dc213bd7b32a93d3c9fdff165d60a",
      "e21c02bb20e7ec33afe8cd2c57cc733e", "5d6c0e09f479730e968233cc61eb0119"}},
    {"golden_rec3cf_dz_uq_gray_q20.rec", 48, 40, 1, RECIMG_CHROMA_420, 20, 45, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"8eb2604d334a97af4186e0ebe21fb1dc", "b12b6daf13aac9c1bee5171a7e9cf55e",
      "599123b5977ac3ffa630136f4e1854d3", "5b261912a7edd180f54cde2be856f656"}},
    /* the deadzone uq with its private draws in the cells (flags2 0x400 | 0x1000, "_dzd_",
       decoder only; rec_uq_dz_draw = 1): the same three paths on other images */
    {"golden_rec3cf_far_se_fc_bd_rt_dzd_uq_rgb420_q30.rec", 64, 48, 3, RECIMG_CHROMA_420, 30, 51, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"7967f700b6543a38f6d63945e0eb449f", "4fbffd705356b6e008102aa3cc18f029",
      "8a5c69a074f07b91f00c602f1096533d", "00df21658fe9b960d96420e09fbf5256"}},
    {"golden_rec4cf_far_se_fc_bd_rt_dzd_uq_rgb420_q40.rec", 64, 48, 3, RECIMG_CHROMA_420, 40, 52, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"675396af4cba0fa844ab06441bb5e50c", "d9981adc10aff8e6d365680ef5e0ed25",
      "292ac14b44b073ad04617b61edad9b88", "0dedf6f76b574ecda2e6ed792a219420"}},
    {"golden_rec3cf_dzd_uq_gray_q20.rec", 48, 40, 1, RECIMG_CHROMA_420, 20, 53, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"dd4749a02b73f74ec36e5dcb3e67197e", "85d0600a74c068343641a1856cc3a2bd",
      "7bf8779b119b7b49793ddb1c21c37094", "91251a4e3fba60362bfd5d3e8d072b9b"}},
    /* the deadzone uq with its fast rule (flags2 0x2400, "_dzf_"): the default uq path and
       the CLOSED coder with the key's own dithers on a gray image */
    {"golden_rec3cf_far_se_fc_bd_rt_dzf_uq_rgb420_q30.rec", 64, 48, 3, RECIMG_CHROMA_420, 30, 54, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"3a7433f4aabf2bd752922ef11d207144", "550d49ac0aaee5ab683eac18bb87bf8c",
      "a990f6ed195782fb5c602b70ef973471", "72aa5521d4b79541aec760c80f766fb6"}},
    {"golden_rec3cf_dzf_uq_gray_q20.rec", 48, 40, 1, RECIMG_CHROMA_420, 20, 55, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ,
     {"f613ca528cbec6b3b63e49b886d9e8cd", "37edeab85c1d24030144790ca83b58e2",
      "6061d6a4a5facda31609d0dc5ace695c", "21936afb0532a6310bd3575c02beda61"}},
    /* header flags2 0x800 (version 2; the round deadzone, docs/FORMAT.md "Payload of the
       round mode"): with v5 and the reconstruction table (what round_deadzone = 1 writes by
       default), with v5 alone (gray) and with v1 (4:4:4) */
    {"golden_round5_dz_rt_rgb420_q40.rec", 128, 96, 3, RECIMG_CHROMA_420, 40, 48, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE,
     {"0236c16f64f713bb6bfdfa1930a21070", "5547669130d140a0e2c573e07fdd9319",
      "8e48eeea7b1a98c9d06eb66f8b41f70c", "49f17cf6324239e8887298b77f0eb23b"}},
    {"golden_round5_dz_gray_q70.rec", 56, 40, 1, RECIMG_CHROMA_420, 70, 49, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE,
     {"c0a9fce5293fd803b271bb18ca2d4671", "9bac7056a5f8e61078a9b9849fa63ab1",
      "d4ab682a8662d1798bdfc24d015abef2", "7f3bba54cededa1c7d475ec5691f2d93"}},
    {"golden_round_dz_rgb444_q25.rec", 64, 48, 3, RECIMG_CHROMA_444, 25, 50, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE,
     {"6c7e00dd30268f682e5d621e8648a431", "9a778e1aaea313730f7f1a50ec14ace5",
      "948b218042dc12d5a7f383163274c59d", "66eab2117b6a492d5043bc0ca7fbda1f"}},
    /* flags2 0x800 | 0x4000 ("_dd_"; what round_deadzone = 1 writes since session 8): the
       zero cells' draw scale fitted for the deadzone. The image of the first 0x800 file
       above: the same mmse and centre MD5s, other sample and realism ones */
    {"golden_round5_dz_dd_rt_rgb420_q40.rec", 128, 96, 3, RECIMG_CHROMA_420, 40, 48, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE,
     {"0236c16f64f713bb6bfdfa1930a21070", "5547669130d140a0e2c573e07fdd9319",
      "2f3240b6ae372242f30c8ebc520c10e1", "8595cada576aa16ccfbd28fa20595412"}},
};

static int read_all(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    long n;
    *data = NULL;
    if (!f) return -1;
    if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) { fclose(f); return -1; }
    *data = malloc((size_t)n + 1);
    if (!*data || fread(*data, 1, (size_t)n, f) != (size_t)n) { fclose(f); free(*data); return -1; }
    fclose(f);
    *size = (size_t)n;
    return 0;
}

static int decode_md5(const uint8_t *data, size_t size, recimg_decode_mode mode, char hex[33])
{
    recimg_decoder_params dp;
    recimg_decoder *d = NULL;
    recimg_image out;
    recimg_decoder_params_default(&dp);
    dp.decode = mode;
    dp.realism = 0.5;
    if (recimg_decoder_create(&dp, &d) != RECIMG_OK)
        return -1;
    if (recimg_decode(d, data, size, &out) != RECIMG_OK) {
        recimg_decoder_free(d);
        return -1;
    }
    ct_md5_hex(out.pixels, (size_t)out.width * out.height * out.channels, hex);
    recimg_free(out.pixels);
    recimg_decoder_free(d);
    return 0;
}

static int make(const char *dir, const char *prefix)
{
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        const golden *g = &table[i];
        recimg_image img;
        recimg_encoder_params p;
        recimg_encoder *e = NULL;
        recimg_encode_stats st;
        uint8_t *data = NULL;
        size_t size = 0;
        char path[1024];
        FILE *f;
        if (prefix && strncmp(g->file, prefix, strlen(prefix)) != 0)
            continue;
        if (ct_make_image(&img, g->w, g->h, g->channels, g->seed)) return 1;
        recimg_encoder_params_default(&p);
        p.quality = g->quality;
        p.chroma = g->chroma;
        p.mode = g->mode;
        p.sampler = g->sampler;
        if (!strncmp(g->file, "golden_rec3", 11) && g->sampler == RECIMG_SAMPLER_BLOCK)
            p.rec_zero_bits = 0.02;   /* at the default (0.08 then, 0.16 now) no group of these images gets index bits */
        /* the flags the file's name says it pins (see the flag check in main) */
        p.rec_legacy_bin_coder = g->mode == RECIMG_MODE_REC && strstr(g->file, "cf_") == NULL;
        p.rec_uq_far_bin = strstr(g->file, "_far_") != NULL;
        p.rec_skip_energy = strstr(g->file, "_se_") != NULL;
        p.rec_fast_chain = strstr(g->file, "_fc_") != NULL;
        p.rec_block_dither = strstr(g->file, "_bd_") != NULL;
        p.rec_block_flag = strncmp(g->file, "golden_rec4", 11) == 0;
        p.round_block_gain = strncmp(g->file, "golden_round5", 13) == 0;
        p.recon_table = strstr(g->file, "_rt_") != NULL;
        p.rec_uq_deadzone = g->mode == RECIMG_MODE_REC &&
                            (strstr(g->file, "_dz_") || strstr(g->file, "_dzd_") || strstr(g->file, "_dzf_"));
        p.rec_uq_dz_draw = g->mode == RECIMG_MODE_REC && strstr(g->file, "_dzd_") != NULL;
        p.rec_dz_fast_rule = strstr(g->file, "_dzf_") != NULL;
        p.round_deadzone = g->mode == RECIMG_MODE_ROUND && strstr(g->file, "_dz_") != NULL;
        if (strstr(g->file, "_flat_")) {
            p.matrix_id = 0;
            p.chroma_step_scale = 141.0 / 256.0;
            p.rec_zero_bits = 206.0 / 1024.0;
        }
        if (recimg_encoder_create(&p, &e) || recimg_encode(e, &img, &data, &size, &st)) return 1;
        if (p.round_deadzone && !strstr(g->file, "_dd_")) {   /* the session-7 files: flags2 0x800 alone */
            size_t n1 = 0;
            uint8_t *d1 = ct_with_flags2(data, size, 0x08u, &n1);
            if (!d1 || n1 != size) return 1;
            memcpy(data, d1, size);
            free(d1);
        }
        if (g->sampler == RECIMG_SAMPLER_BLOCK && !(st.block_groups > 0 && st.block_index_bits > 0.0)) {
            fprintf(stderr, "%s: no group with index bits; pick another image or quality\n", g->file);
            return 1;   /* the file would not pin the block simulator's decoder */
        }
        snprintf(path, sizeof path, "%s/%s", dir, g->file);
        f = fopen(path, "wb");
        if (!f || fwrite(data, 1, size, f) != size || fclose(f)) return 1;
        recimg_free(data);
        recimg_encoder_free(e);
        free(img.pixels);
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = CODEC_GOLDEN_DIR;
    int print = 0;
    if ((argc == 3 || argc == 4) && !strcmp(argv[1], "--make"))
        return make(argv[2], argc == 4 ? argv[3] : NULL);
    if (argc == 3 && !strcmp(argv[1], "--print")) {
        print = 1;
        dir = argv[2];
    }
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        const golden *g = &table[i];
        char path[1024], md5[4][33], again[33];
        uint8_t *data;
        size_t size;
        snprintf(path, sizeof path, "%s/%s", dir, g->file);
        if (read_all(path, &data, &size)) {
            fprintf(stderr, "cannot read %s\n", path);
            CHECK(!"golden file missing");
            continue;
        }
        /* the prior id and the flags each file pins (docs/FORMAT.md bytes 25, 27) */
        CHECK(size > 27 && data[25] == (strncmp(g->file, "golden_rec2", 11) == 0   ? 2
                                        : strncmp(g->file, "golden_rec3", 11) == 0 ? 3
                                        : strncmp(g->file, "golden_rec4", 11) == 0 ? 4
                                        : strncmp(g->file, "golden_round5", 13) == 0 ? 5
                                                                                   : 1));
        CHECK(data[27] == ((strstr(g->file, "cf_") != NULL ? 0x01 : 0)
                           | (strstr(g->file, "_far_") ? 0x02 : 0)
                           | (strstr(g->file, "_se_") ? 0x04 : 0)
                           | (strstr(g->file, "_fc_") ? 0x08 : 0)
                           | (strstr(g->file, "_bd_") ? 0x20 : 0)
                           | (strstr(g->file, "_rt_") ? 0x40 : 0)));
        /* "_dz_": version 2 with flags2 (offset 56) 0x400, the deadzone uq, in rec mode and
           0x800, the round deadzone, in round mode (and 0x4000 with "_dd_"); "_dzd_": 0x400 |
           0x1000, the deadzone uq with its private draws; version 1 otherwise */
        if (strstr(g->file, "_dzd_"))
            CHECK(size > 60 && data[8] == 2 && data[56] == 0x14 && data[57] == 0 && data[58] == 0 && data[59] == 0);
        else if (strstr(g->file, "_dz_"))
            CHECK(size > 60 && data[8] == 2 &&
                  data[56] == (g->mode == RECIMG_MODE_REC ? 0x04 : strstr(g->file, "_dd_") ? 0x48 : 0x08) &&
                  data[57] == 0 && data[58] == 0 && data[59] == 0);
        else if (strstr(g->file, "_dzf_"))   /* 0x2400: the deadzone uq with its fast rule */
            CHECK(size > 60 && data[8] == 2 && data[56] == 0x24 && data[57] == 0 && data[58] == 0 &&
                  data[59] == 0);
        else
            CHECK(size > 8 && data[8] == 1);
        /* the step matrix and chroma step code a "_flat_" file pins (bytes 26, 32-33) */
        if (strstr(g->file, "_flat_"))
            CHECK(size > 33 && data[26] == 0 && data[32] + 256 * data[33] == 141);
        for (int m = 0; m < 4; m++)
            CHECK(decode_md5(data, size, modes[m], md5[m]) == 0);
        CHECK(decode_md5(data, size, RECIMG_DECODE_DEFAULT, again) == 0);
        CHECK(strcmp(md5[0], again) == 0);     /* the default is MMSE */
        if (print) {
            printf("    {\"%s\", %u, %u, %u, %s, %g, %llu, %s, %s,\n     {\"%s\", \"%s\",\n      \"%s\", \"%s\"}},\n",
                   g->file, g->w, g->h, g->channels,
                   g->chroma == RECIMG_CHROMA_420 ? "RECIMG_CHROMA_420" : "RECIMG_CHROMA_444",
                   g->quality, (unsigned long long)g->seed,
                   g->mode == RECIMG_MODE_REC ? "RECIMG_MODE_REC" : "RECIMG_MODE_ROUND",
                   g->sampler == RECIMG_SAMPLER_LRQ ? "RECIMG_SAMPLER_LRQ"
                   : g->sampler == RECIMG_SAMPLER_UQ ? "RECIMG_SAMPLER_UQ"
                   : g->sampler == RECIMG_SAMPLER_GPRS_BNB ? "RECIMG_SAMPLER_GPRS_BNB"
                   : g->sampler == RECIMG_SAMPLER_GPRS ? "RECIMG_SAMPLER_GPRS"
                   : g->sampler == RECIMG_SAMPLER_PFR ? "RECIMG_SAMPLER_PFR"
                   : g->sampler == RECIMG_SAMPLER_BLOCK ? "RECIMG_SAMPLER_BLOCK" : "RECIMG_SAMPLER_NONE",
                   md5[0], md5[1], md5[2], md5[3]);
        } else {
            for (int m = 0; m < 4; m++) {
                if (strcmp(md5[m], g->md5[m]) != 0) {
                    fprintf(stderr, "%s %s: got %s, want %s\n", g->file, mode_names[m], md5[m], g->md5[m]);
                    CHECK(!"decoder output differs from golden");
                }
            }
        }
        free(data);
    }
    return print ? 0 : ct_finish("test_codec_golden");
}
